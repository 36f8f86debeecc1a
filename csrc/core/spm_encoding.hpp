// SpmEncoding: normalizer + literal tokens + SentencePiece-style BPE. Immutable after
// construction and shareable between threads, like Encoding (the same pool of per-thread
// caches); the same methods, so that the bindings serve both.
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

#include "literal_matcher.hpp"
#include "piece_cache.hpp"
#include "pooled_encoder.hpp"
#include "spm_bpe.hpp"

namespace tokbench {

struct SpmEncodingSpec {
  std::shared_ptr<const SpmModel> model;
  // Literal tokens matched by every call: Hugging Face added tokens that are not special, or
  // sentencepiece's user-defined symbols.
  std::shared_ptr<const LiteralMatcher> always;
  // sentencepiece normalizes the whole text and then finds user-defined symbols in it;
  // Hugging Face finds added tokens in the raw text and normalizes each stretch between them.
  bool literals_after_normalizing = false;
  bool dummy_prefix = true;              // '▁' before non-empty text (Prepend / add_dummy_prefix)
  bool escape_spaces = true;             // ' ' -> '▁' (Replace / escape_whitespaces)
  bool remove_extra_spaces = false;      // sentencepiece remove_extra_whitespaces
  // What each id decodes to ('▁' as a space, <0xNN> as its byte); an empty span: nothing.
  std::vector<std::uint8_t> decode_bytes;
  std::vector<std::uint32_t> decode_offsets;
  bool strip_leading_space = false;  // decoding drops the dummy prefix's space
  bool use_cache = true;
};

struct SpmWorkerState {
  PieceCache cache;
  SpmScratch scratch;
  std::string normalized;
};

class SpmEncoding : public detail::PooledEncoder<SpmEncoding, SpmWorkerState> {
 public:
  explicit SpmEncoding(SpmEncodingSpec spec);

  const SpmEncodingSpec& spec() const { return spec_; }
  std::size_t n_vocab() const { return n_vocab_; }

  // Throws TokenIdError for an id outside the vocabulary.
  std::string decode_bytes(const std::vector<TokenId>& ids) const;
  bool token_bytes(TokenId id, std::string_view* out) const;

  // The normalized text (for tests: '▁' for spaces, the dummy prefix).
  std::string normalize(std::string_view text) const;

 private:
  class Worker;
  friend class Worker;
  friend class detail::PooledEncoder<SpmEncoding, SpmWorkerState>;
  Worker make_worker(SharedPieceCache* shared) const;
  void normalize_into(std::string_view text, std::string& out) const;

  SpmEncodingSpec spec_;
  std::size_t n_vocab_ = 0;
};

}  // namespace tokbench
