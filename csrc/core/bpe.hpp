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

#include "backtrack.hpp"
#include "blocked_bloom.hpp"
#include "char_start.hpp"
#include "hash.hpp"
#include "vocab.hpp"

namespace tokbench {

// (left, right) -> rank, in 8-byte slots grouped eight to a 64-byte bucket, so that a lookup
// touches one cache line: the table is the hottest data in the merge loop and its size decides
// how much of it stays in cache (o200k: 446k pairs in 4 MiB). Ids must be below 2^21 and
// ranks below 2^22 (every known vocabulary is far below both).
class PairMap {
 public:
  static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;
  static constexpr std::uint32_t kMaxId = (1u << 21) - 2;
  static constexpr std::uint32_t kMaxRank = (1u << 22) - 1;

  explicit PairMap(std::size_t expected = 0);
  // Inserts or replaces (a later entry for the same pair wins, as in a Hugging Face merges map).
  // Throws VocabError for ids or ranks beyond the limits above.
  void insert(TokenId left, TokenId right, std::uint32_t rank);

  // Starts loading the memory find(left, right) will read (its filter block and first
  // bucket), so that several lookups can wait for memory at once.
  void prefetch(TokenId left, TokenId right) const {
    const std::uint64_t h = detail::mix64(pack_key(left, right));
    filter_.prefetch(h);
    __builtin_prefetch(&slots_[(h & bucket_mask_) * kBucket]);
  }

  std::uint32_t find(TokenId left, TokenId right) const {
    const std::uint64_t key = pack_key(left, right);
    const std::uint64_t h = detail::mix64(key);
    // Most pairs asked about do not exist (two characters that never merge); a blocked Bloom
    // filter small enough for L2 answers most of those without touching the table.
    if (!filter_.may_hold(h)) return kNoRank;
    std::size_t b = h & bucket_mask_;
    for (;;) {
      const std::uint64_t* slot = &slots_[b * kBucket];
      for (unsigned i = 0; i < kBucket; ++i) {
        const std::uint64_t v = slot[i];
        if ((v >> kRankBits) == key) return static_cast<std::uint32_t>(v & kRankMask);
        if (v == kEmpty) return kNoRank;
      }
      b = (b + 1) & bucket_mask_;
    }
  }
  std::size_t size() const { return size_; }

  // Builds the existence filter; call once after the last insert (find() needs it).
  void seal();

  template <class F>
  void for_each(F&& f) const {
    for (const std::uint64_t v : slots_) {
      if (v == kEmpty) continue;
      const std::uint64_t key = v >> kRankBits;
      f(static_cast<TokenId>(key >> kIdBits), static_cast<TokenId>(key & kIdMask),
        static_cast<std::uint32_t>(v & kRankMask));
    }
  }

 private:
  static constexpr unsigned kBucket = 8;
  static constexpr unsigned kIdBits = 21;
  static constexpr unsigned kRankBits = 22;
  static constexpr std::uint64_t kIdMask = (std::uint64_t{1} << kIdBits) - 1;
  static constexpr std::uint64_t kRankMask = (std::uint64_t{1} << kRankBits) - 1;
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

 public:
  static std::uint64_t pack_key(TokenId l, TokenId r) {
    return (static_cast<std::uint64_t>(l) << kIdBits) | r;
  }
  static constexpr unsigned rank_bits() { return kRankBits; }

 private:
  std::size_t bucket_of(std::uint64_t key) const { return detail::mix64(key) & bucket_mask_; }
  void grow();
  std::vector<std::uint64_t> slots_;
  detail::BlockedBloom filter_;  // holds every pair until seal()
  std::size_t bucket_mask_ = 0;
  std::size_t size_ = 0;
};

// Reusable buffers for the merge loop, owned by the caller (one per thread).
struct MergeScratch {
  std::vector<TokenId> tok;
  std::vector<std::uint32_t> rank;  // rank[i]: rank of merging tok[i] with the next symbol
  std::vector<std::uint32_t> block_min;  // merge_linked: minimum rank of each block of 8
  std::vector<std::uint32_t> next, prev;
  struct HeapEntry {
    std::uint32_t rank;
    std::uint32_t pos;
  };
  std::vector<HeapEntry> heap;
  std::vector<TokenId> bt_out;        // Backtracker's result
  std::vector<std::uint8_t> bt_dead;  // Backtracker's dead positions

  // A small direct-mapped memo of pair lookups (128 KiB, L2 resident). The pair table is too
  // big for L2, and text keeps asking about the same pairs (common characters and their
  // partial byte sequences), so most lookups stop here. Entries are key << 22 | rank.
  // Allocated on the first merge, so that calls that never merge do not pay for it.
  // (512 KiB was best before BPE started from whole characters; see csrc/NOTES.md.)
  static constexpr unsigned kMemoBits = 14;
  std::vector<std::uint64_t> pair_memo;
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
  // splits: for kTiktoken, the backtracker's table as splits() returned it before (see
  // Backtracker; nullptr to work it out here).
  BpeModel(Vocab vocab, Ranking ranking, const std::vector<TokenId>& merges,
           bool whole_piece_first, const std::vector<TokenId>* splits = nullptr);

  const Vocab& vocab() const { return vocab_; }
  bool backtracking() const { return backtrack_.enabled(); }
  bool ranked_like_tiktoken() const { return merged_of_rank_.empty(); }
  // The backtracker's table (empty when it does not apply), to store beside a vocabulary.
  std::vector<TokenId> splits() const {
    return backtrack_.enabled() ? backtrack_.splits() : std::vector<TokenId>{};
  }
  std::size_t n_merges() const { return pairs_.size(); }

  // Token id of a single byte, or kNoToken if the vocabulary lacks it.
  TokenId byte_token(std::uint8_t b) const { return byte_token_[b]; }

  // If the piece [p, p+n) is a single token under this model's rules, its id; else kNoToken.
  TokenId whole_piece(const std::uint8_t* p, std::size_t n) const {
    return whole_piece(p, n, detail::hash_bytes(p, n));
  }
  // The same, given hash_bytes(p, n).
  TokenId whole_piece(const std::uint8_t* p, std::size_t n, std::uint64_t h) const {
    if (!vocab_.may_hold(h)) return kNoToken;
    const TokenId id = vocab_.find(p, n, h);
    return (id != kNoToken && (whole_always_ || whole_ok_[id])) ? id : kNoToken;
  }

  // Runs the merges over a piece (n >= 1). Leaves the result in scratch.tok[0..returned).
  // Throws VocabError if the piece holds a byte the vocabulary has no token for.
  std::size_t merge(const std::uint8_t* p, std::size_t n, MergeScratch& scratch) const;

 private:
  // Both merge from s.tok[0..n): from the bytes of p (kFromBytes, whose first ranks come
  // from the byte-pair table) or from whole characters (char_symbols).
  template <bool kBlocks, bool kFromBytes>
  std::size_t merge_linked(const std::uint8_t* p, std::size_t n, MergeScratch& s) const;
  std::size_t merge_heap(const std::uint8_t* p, std::size_t n, bool from_bytes,
                         MergeScratch& s) const;
  std::size_t merge_symbols(const std::uint8_t* p, std::size_t n, bool from_bytes,
                            MergeScratch& s) const;

  // The token a merge of the given rank makes: the rank itself under tiktoken ranking.
  TokenId merged(std::uint32_t rank) const {
    return merged_of_rank_.empty() ? rank : merged_of_rank_[rank];
  }
  std::uint32_t pair_rank(TokenId l, TokenId r, MergeScratch& s) const {
    const std::uint64_t key = PairMap::pack_key(l, r);
    const std::size_t slot = (key * 0x9E3779B97F4A7C15ULL) >> (64 - MergeScratch::kMemoBits);
    const std::uint64_t e = s.pair_memo[slot];
    if ((e >> PairMap::rank_bits()) == key) {
      const auto rank = static_cast<std::uint32_t>(e & ((1u << PairMap::rank_bits()) - 1));
      return rank == (1u << PairMap::rank_bits()) - 1 ? PairMap::kNoRank : rank;
    }
    const std::uint32_t rank = pairs_.find(l, r);
    const std::uint64_t stored = rank == PairMap::kNoRank ? (1u << PairMap::rank_bits()) - 1 : rank;
    s.pair_memo[slot] = (key << PairMap::rank_bits()) | stored;
    return rank;
  }

  Vocab vocab_;
  PairMap pairs_;
  std::vector<TokenId> merged_of_rank_;  // Hugging Face ranking only
  std::vector<std::uint32_t> byte_pair_rank_;  // 256 x 256, for the first pass over bytes
  std::array<TokenId, 256> byte_token_{};
  bool all_bytes_known_ = true;  // every byte has a token (byte-level vocabularies)
  std::vector<std::uint8_t> whole_ok_;
  bool whole_always_ = false;  // every token is whole_ok_: skip the load
  std::vector<std::uint32_t> chars_that_may_start_whole() const;
  std::vector<std::uint32_t> lowest_rank_making() const;
  CharStart char_start_;  // BPE may start from whole characters (see char_start.hpp)
  Backtracker backtrack_;  // tiktoken ranking only, when its preconditions hold
};

}  // namespace tokbench
