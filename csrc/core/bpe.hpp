// Byte-level BPE: the merge loop over one pre-tokenized piece.
//
// Both reference semantics reduce to one rule, "merge the adjacent pair with the lowest rank,
// leftmost first, until no pair has a rank", given a table from (left id, right id) to
// (rank, merged id):
//  - tiktoken: a pair merges when the concatenation of its bytes is a token; its rank is that
//    token's rank (= id). The table is derived from the vocabulary once at load.
//  - Hugging Face BPE: a pair merges when it is in the merges list; its rank is its index
//    there. The merged id is the vocabulary id of the concatenation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vocab.hpp"

namespace tokbench {

// (left, right) -> (rank, merged). Open addressing on a 64-bit key.
class PairMap {
 public:
  struct Value {
    std::uint32_t rank;
    TokenId merged;
  };
  static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;

  explicit PairMap(std::size_t expected = 0);
  // Inserts or replaces (a later entry for the same pair wins, as in a Hugging Face merges map).
  void insert(TokenId left, TokenId right, Value v);
  Value find(TokenId left, TokenId right) const {
    const std::uint64_t key = pack(left, right);
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == kEmpty) return Value{kNoRank, kNoToken};
    }
  }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  struct Slot {
    std::uint64_t key = kEmpty;
    Value value{kNoRank, kNoToken};
  };
  static std::uint64_t pack(TokenId l, TokenId r) {
    return (static_cast<std::uint64_t>(l) << 32) | r;
  }
  std::size_t slot_of(std::uint64_t key) const;
  void grow();
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// Reusable buffers for the merge loop, owned by the caller (one per thread).
struct MergeScratch {
  std::vector<TokenId> tok;
  std::vector<PairMap::Value> pair;  // pair[i]: merge of tok[i] with the next symbol
  std::vector<std::uint32_t> next, prev;
  struct HeapEntry {
    std::uint32_t rank;
    std::uint32_t pos;
    TokenId merged;
  };
  std::vector<HeapEntry> heap;
};

class BpeModel {
 public:
  enum class Ranking { kTiktoken, kMergesList };

  // vocab: the BPE tokens (not special or added tokens).
  // merges: for kMergesList, pairs of ids in priority order (left0, right0, left1, ...);
  //         ignored for kTiktoken, where the pair table is derived from the vocabulary.
  // whole_piece_first: a piece that is itself a token is that token, without merging
  //         (tiktoken always; Hugging Face with ignore_merges). Otherwise this shortcut is
  //         taken only for tokens the merges would rebuild from their own bytes.
  BpeModel(Vocab vocab, Ranking ranking, const std::vector<TokenId>& merges,
           bool whole_piece_first);

  const Vocab& vocab() const { return vocab_; }
  std::size_t n_merges() const { return pairs_.size(); }

  // Token id of a single byte, or kNoToken if the vocabulary lacks it.
  TokenId byte_token(std::uint8_t b) const { return byte_token_[b]; }

  // If the piece [p, p+n) is a single token under this model's rules, its id; else kNoToken.
  TokenId whole_piece(const std::uint8_t* p, std::size_t n) const {
    const TokenId id = vocab_.find(p, n);
    return (id != kNoToken && whole_ok_[id]) ? id : kNoToken;
  }

  // Runs the merges over a piece (n >= 1). Leaves the result in scratch.tok[0..returned).
  // Throws VocabError if the piece holds a byte the vocabulary has no token for.
  std::size_t merge(const std::uint8_t* p, std::size_t n, MergeScratch& scratch) const;

 private:
  std::size_t merge_small(std::size_t n, MergeScratch& s) const;
  std::size_t merge_heap(std::size_t n, MergeScratch& s) const;

  Vocab vocab_;
  PairMap pairs_;
  std::array<TokenId, 256> byte_token_{};
  std::vector<std::uint8_t> whole_ok_;
};

}  // namespace tokbench
