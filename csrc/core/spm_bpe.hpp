// SentencePiece-style BPE: merges over the characters of normalized text ('▁' for spaces),
// with byte fallback for characters that are not pieces.
//
// Two reference semantics, one merge rule ("merge the adjacent pair with the best priority,
// leftmost among equals, until no pair merges"):
//  - sentencepiece (.model): a pair merges when the concatenation of its two symbols is a
//    piece (normal, user-defined or unused; never a control or byte piece); its priority is
//    that piece's score, higher first. Scores tie (Llama 2: 31,726 distinct of 31,741), and
//    tied pairs merge leftmost first, so priorities here are dense ranks of the score.
//    A character that is not a piece stays a symbol (it may still merge into a piece that
//    contains it) and falls back to its UTF-8 bytes (<0xNN> pieces) at the end.
//  - Hugging Face (tokenizer.json, byte_fallback): a pair merges when it is in the merges list,
//    by its position there. A character that is not in the vocabulary becomes its bytes'
//    <0xNN> tokens (or one unknown token) before merging.
//
// The text is cut into chunks that no merge can cross: before a '▁' whose preceding character
// never precedes '▁' inside a piece (no piece contains that pair of characters, so no symbol
// ever spans the cut). Chunks are then words, which repeat, so their results are cached.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bpe.hpp"
#include "vocab.hpp"

namespace tokbench {

struct SpmScratch {
  std::vector<TokenId> tok;
  std::vector<std::uint32_t> rank;    // rank[i]: priority of merging symbol i with the next one
  std::vector<TokenId> merged;        // merged[i]: the symbol that merge makes
  std::vector<std::uint32_t> next, prev;
  std::vector<TokenId> out;
  struct HeapEntry {
    std::uint32_t rank;
    std::uint32_t pos;
  };
  std::vector<HeapEntry> heap;
  // Direct-mapped memo of pair lookups (as MergeScratch::pair_memo), holding the answer itself
  // so that a hit touches one cache line: the pair table and its rank and merge arrays are
  // megabytes (Gemma: 515k pairs) and most lookups repeat.
  struct MemoEntry {
    std::uint64_t key = ~std::uint64_t{0};
    std::uint32_t rank = 0;
    TokenId merged = 0;
  };
  static constexpr unsigned kMemoBits = 15;
  std::vector<MemoEntry> pair_memo;
};

struct SpmModelSpec {
  enum class Ranking { kScores, kMergesList };
  // The text each id is looked up by when splitting and merging (UTF-8, '▁' for spaces). An
  // empty span: the id is never produced by text (control and byte pieces of a .model).
  std::vector<std::uint8_t> piece_bytes;
  std::vector<std::uint32_t> piece_offsets;
  Ranking ranking = Ranking::kScores;
  std::vector<float> scores;      // kScores: one per id; pieces with text merge by it
  std::vector<TokenId> merges;    // kMergesList: pairs of ids in priority order
  std::array<TokenId, 256> byte_ids{};  // <0xNN> ids; kNoToken where missing (or no fallback)
  bool byte_fallback = true;
  TokenId unk_id = kNoToken;
  bool fuse_unk = false;  // Hugging Face: a run of unknown characters is one unknown token
  // sentencepiece keeps an unknown character as a symbol that can merge; Hugging Face turns
  // it into byte tokens first.
  bool unknown_chars_merge = true;
  // Optional, one byte per id: 1 if merging the piece's own text gives the piece (see
  // SpmModel::whole_flags); empty to learn it while encoding.
  std::vector<std::uint8_t> whole;
};

class SpmModel {
 public:
  explicit SpmModel(SpmModelSpec spec);

  const Vocab& pieces() const { return pieces_; }
  std::size_t n_ids() const { return n_ids_; }
  std::size_t n_pairs() const { return merged_.size(); }
  // One byte per id: 1 if merging the piece's own text gives the piece itself (so that a
  // chunk spelling it needs no merging), else 0. Works out what is not yet known.
  std::vector<std::uint8_t> whole_flags() const;

  // Whether a chunk may end before the '▁' that follows the character `cp`.
  bool cut_after(std::uint32_t cp) const {
    if (never_cut_) return false;
    for (const std::uint32_t c : glued_to_space_) {
      if (c == cp) return false;
    }
    return true;
  }

  // Ids of one chunk of normalized text into scratch.out (returns their number).
  std::size_t encode_chunk(const std::uint8_t* p, std::size_t n, SpmScratch& s) const;
  // The same, given detail::hash_bytes(p, n).
  std::size_t encode_chunk(const std::uint8_t* p, std::size_t n, std::uint64_t h,
                           SpmScratch& s) const;

 private:
  void push_char(const std::uint8_t* p, std::size_t len, SpmScratch& s, std::size_t& n,
                 bool& last_unk) const;
  struct Links {
    TokenId* tok;
    std::uint32_t* rank;
    TokenId* merged;
    std::uint32_t* next;
    std::uint32_t* prev;
  };
  static Links link(std::size_t n, SpmScratch& s);
  std::size_t merge_symbols(const std::uint8_t* p, std::size_t n_bytes, SpmScratch& s) const;
  std::size_t merge_scan(std::size_t n, SpmScratch& s) const;
  std::size_t merge_heap(std::size_t n, SpmScratch& s) const;
  void emit(TokenId t, SpmScratch& s) const;
  // The rank of merging l and r (kNoRank if they do not merge) and what it makes.
  SpmScratch::MemoEntry pair_of(TokenId l, TokenId r, SpmScratch& s) const;
  // Prefetches what the lookups of the n - 1 adjacent pairs of s.tok[0..n) will read.
  void prefetch_pairs(std::size_t n, SpmScratch& s) const;
  TokenId char_id(const std::uint8_t* p, std::size_t len) const;

  SpmModelSpec spec_;
  Vocab pieces_;
  std::size_t n_ids_ = 0;
  PairMap pairs_;  // (left, right) -> index into rank_ / merged_
  std::vector<std::uint32_t> rank_;
  std::vector<TokenId> merged_;
  std::vector<TokenId> bmp_id_;  // code point < 0x10000 -> id of the one-character symbol
  // Characters that are symbols without being pieces (sentencepiece only): id n_ids + k.
  std::vector<std::string> synthetic_;
  std::unordered_map<std::string, TokenId> synthetic_id_;
  std::vector<std::uint32_t> glued_to_space_;  // characters some piece has right before '▁'
  // whole_[id]: whether merging the piece's own text gives the piece itself (kWhole), so that
  // a chunk spelling it needs no merging (most words are one piece). Learnt from the first
  // chunk that spells it (kUnknown until then): a relaxed atomic, since every thread that
  // finds out finds the same answer.
  static constexpr std::uint8_t kUnknown = 0, kWhole = 1, kNotWhole = 2;
  std::unique_ptr<std::atomic<std::uint8_t>[]> whole_;
  // Merges of byte tokens make symbols whose text is not the characters they cover: then the
  // text is not cut at all (no known tokenizer does this).
  bool never_cut_ = false;
};

}  // namespace tokbench
