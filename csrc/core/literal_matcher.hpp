// Finds special and added tokens in text: the leftmost occurrence of any of a set of literal
// strings, the longest one where several start at the same place (Hugging Face's
// LeftmostLongest; tiktoken's special tokens never overlap, so it agrees there too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vocab.hpp"

namespace tokbench {

class LiteralMatcher {
 public:
  struct Match {
    std::size_t begin = 0;
    std::size_t end = 0;
    TokenId id = kNoToken;
  };

  LiteralMatcher() = default;
  // Empty strings are ignored. A string given twice keeps its last id.
  explicit LiteralMatcher(const std::vector<std::pair<std::string, TokenId>>& literals);

  bool empty() const { return nodes_.size() <= 1; }

  // The first match starting at or after `from`; id == kNoToken if there is none.
  Match find(const std::uint8_t* text, std::size_t n, std::size_t from) const;

 private:
  struct Node {
    std::vector<std::pair<std::uint8_t, std::uint32_t>> children;  // sorted by byte
    TokenId id = kNoToken;                                         // a literal ends here
  };
  std::uint32_t child(std::uint32_t node, std::uint8_t b) const;
  std::vector<Node> nodes_{Node{}};
  bool first_byte_[256] = {};
  int only_first_ = -1;  // the first byte of every literal when they share one (memchr finds it)
};

}  // namespace tokbench
