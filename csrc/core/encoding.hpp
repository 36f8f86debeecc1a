// Encoding: pre-tokenizer + BPE model + added/special tokens. Immutable after construction and
// safe to share between threads; the only mutable part is a pool of per-thread piece caches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bpe.hpp"
#include "literal_matcher.hpp"
#include "piece_cache.hpp"
#include "pooled_encoder.hpp"
#include "pretokenize/pretokenizer.hpp"

namespace tokbench {

struct EncodingSpec {
  std::shared_ptr<const BpeModel> model;
  Scanner scanner = Scanner::kO200k;
  // Tokens matched in the text before pre-tokenization by every call (Hugging Face added
  // tokens that are not special). Special tokens are passed per call to encode().
  std::shared_ptr<const LiteralMatcher> always;
  // Hugging Face ByteLevel(add_prefix_space=true): a space before each stretch of text between
  // added tokens that does not already start with one.
  bool prefix_space = false;
  // Byte strings for ids outside the BPE vocabulary (special and added tokens), for decoding.
  std::vector<std::pair<TokenId, std::string>> extra_tokens;
  // Whether to memoise merged pieces (on by default; off to measure the bare merge loop).
  bool use_cache = true;
};

// What a thread needs for one call, lent out from the encoding's pool.
struct EncodingWorkerState {
  PieceCache cache;
  MergeScratch scratch;
};

class Encoding : public detail::PooledEncoder<Encoding, EncodingWorkerState> {
 public:
  explicit Encoding(EncodingSpec spec);

  const EncodingSpec& spec() const { return spec_; }
  std::size_t n_vocab() const { return n_vocab_; }

  // Pre-tokenization only: (offset, length) of each piece, in bytes (added tokens not split).
  std::vector<std::pair<std::size_t, std::size_t>> pieces(std::string_view text) const;

  // Throws TokenIdError for an id with no byte string.
  std::string decode_bytes(const std::vector<TokenId>& ids) const;
  // The byte string of one id; false if the id has none.
  bool token_bytes(TokenId id, std::string_view* out) const;

 private:
  class Worker;
  friend class Worker;
  friend class detail::PooledEncoder<Encoding, EncodingWorkerState>;
  Worker make_worker(SharedPieceCache* shared) const;

  EncodingSpec spec_;
  std::unordered_map<TokenId, std::string> extra_;
  std::size_t n_vocab_ = 0;
};

}  // namespace tokbench
