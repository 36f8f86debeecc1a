// Exact BPE by backtracking, for vocabularies ranked like tiktoken's (a pair merges when its
// concatenation is a token, at that token's rank = id).
//
// The idea is the encoder of the `bpe` crate (github/rust-gems), re-derived here. BPE's
// output is the unique token sequence in which every token is "valid" (BPE of its own bytes
// gives itself) and every adjacent pair is "compatible" (BPE of the two tokens' bytes gives
// the two tokens back). So: take the longest valid token at the current position; if it is
// not compatible with the previous token, try the next shorter valid prefix of it; if none is
// left, drop the previous token and try its shorter prefixes. A bitfield of positions known
// to be dead ends keeps this linear. Greedy longest match is already BPE's answer for most
// tokens, so little backtracking happens.
//
// Compatibility of (a, b) is checked without re-encoding: walk back through the merges that
// built a (its right edge) and b (its left edge), newest first, and reject the pair as soon as
// a merge across the boundary would have come before the merge that made one of the two
// sides ("limit"). This needs every token's merges to be ranked below the token itself,
// which the constructor checks; otherwise the backtracker stays disabled and BpeModel uses
// its merge loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vocab.hpp"

namespace tokbench {

class Backtracker {
 public:
  static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;

  Backtracker() = default;

  // vocab: tiktoken-ranked (rank = id). rank_of(l, r): rank of merging l and r, or kNoRank.
  // byte_token: the token of each byte (kNoToken if absent). splits: each token's last merge
  // (left, right) as splits() returned it before, 2 * n_ids values; an empty table if the
  // backtracker was found not to apply; nullptr to work it out here (a few hundred ms for a
  // 200k vocabulary, so the bundled ones store it).
  template <class RankOf>
  Backtracker(const Vocab& vocab, const std::array<TokenId, 256>& byte_token, RankOf&& rank_of,
              const std::vector<TokenId>* splits);

  // (left, right) of each token's last merge; kNoToken for tokens BPE never produces; a
  // single-byte token is its own split.
  std::vector<TokenId> splits() const;

  bool enabled() const { return enabled_; }
  // Whether BPE of the token's own bytes gives the token (known only when enabled).
  bool valid(TokenId id) const {
    return enabled_ && id < split_left_.size() && split_left_[id] != kNoToken;
  }

  // Encodes p[0..n) into out (cleared first). pair_rank(l, r) as rank_of above (it may use a
  // per-thread memo). `dead` is scratch. Requires every byte of p to have a token. Returns
  // false if it finds no encoding, which the theory rules out; the caller then merges.
  template <class PairRank>
  bool encode(const std::uint8_t* p, std::size_t n, std::vector<TokenId>& out,
              std::vector<std::uint8_t>& dead, PairRank&& pair_rank) const;

 private:
  // Longest valid token that is a prefix of p[0..n) (n >= 1), or kNoToken; *len gets its
  // length (the depth it was found at: one load of len_ fewer per token).
  TokenId longest_match(const std::uint8_t* p, std::size_t n, std::size_t* len) const;

  template <class PairRank>
  bool compatible(TokenId left, TokenId right, PairRank& pair_rank) const;

  // Trie over the valid tokens' bytes. Node 0 is the root. Children of a node are
  // edge_byte_/edge_child_[first .. first + count), sorted by byte; the root's children are
  // also in root_child_ for a direct lookup.
  struct Node {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    TokenId token = kNoToken;  // the valid token ending here, if any
    std::uint32_t dense = kNoRank;  // row of dense_ for a node with many children
  };
  // Nodes with at least this many children also get a 256-entry row (CJK lead and
  // continuation bytes fan out widely; a search there is slow and unpredictable).
  static constexpr std::uint32_t kDenseChildren = 8;
  std::vector<std::uint32_t> dense_;
  std::uint32_t child(std::uint32_t node, std::uint8_t b) const;
  template <class RankOf>
  bool compute_splits(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
                      RankOf& rank_of);
  void build_trie(const Vocab& vocab);

  bool enabled_ = false;
  std::vector<Node> nodes_;
  std::vector<std::uint8_t> edge_byte_;
  std::vector<std::uint32_t> edge_child_;
  std::uint32_t root_child_[256] = {};
  std::vector<TokenId> split_left_, split_right_;  // the last merge that builds each token
  std::vector<TokenId> next_prefix_;  // longest valid proper prefix of each token, or kNoToken
  std::vector<std::uint32_t> len_;
};

}  // namespace tokbench

#include "backtrack_impl.hpp"
