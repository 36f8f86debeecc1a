// Errors thrown by the core; the bindings map each class to a Python exception once.
#pragma once

#include <stdexcept>
#include <string>

namespace tokbench {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A vocabulary or merge list that cannot describe a tokenizer (duplicate tokens, merges that
// name unknown tokens, missing byte tokens, ...).
class VocabError : public Error {
 public:
  using Error::Error;
};

// A token id outside the vocabulary (in decode).
class TokenIdError : public Error {
 public:
  using Error::Error;
};

}  // namespace tokbench
