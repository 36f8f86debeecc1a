// Template definitions for backtrack.hpp (included from there).
#pragma once

#include <algorithm>
#include <utility>

#include "own_bpe.hpp"

namespace tokbench {

template <class RankOf>
Backtracker::Backtracker(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
                         RankOf&& rank_of, const std::vector<TokenId>* splits) {
  const std::size_t n_ids = vocab.n_ids();
  len_.assign(n_ids, 0);
  for (TokenId id = 0; id < n_ids; ++id) len_[id] = static_cast<std::uint32_t>(vocab.bytes_of(id).size());
  if (splits != nullptr) {
    if (splits->size() != 2 * n_ids) return;  // stored as "does not apply", or mismatched
    split_left_.resize(n_ids);
    split_right_.resize(n_ids);
    for (std::size_t i = 0; i < n_ids; ++i) {
      split_left_[i] = (*splits)[2 * i];
      split_right_[i] = (*splits)[2 * i + 1];
      const bool multi = len_[i] > 1 && split_left_[i] != kNoToken;
      // The same precondition as when computed: parts are older than the token. A stored
      // table that breaks it (or does not fit this vocabulary) leaves the backtracker off.
      if (multi && (split_left_[i] >= i || split_right_[i] >= i ||
                    len_[split_left_[i]] + len_[split_right_[i]] != len_[i])) {
        return;
      }
    }
  } else if (!compute_splits(vocab, byte_token, rank_of)) {
    return;
  }
  build_trie(vocab);
  enabled_ = true;
}

template <class RankOf>
bool Backtracker::compute_splits(const Vocab& vocab, const std::array<TokenId, 256>& byte_token,
                                 RankOf& rank_of) {
  const std::size_t n_ids = vocab.n_ids();
  split_left_.assign(n_ids, kNoToken);
  split_right_.assign(n_ids, kNoToken);
  std::vector<TokenId> sym;
  // Each token's own BPE: valid if it rebuilds the token, and its last merge is its split.
  for (TokenId id = 0; id < n_ids; ++id) {
    const std::string_view b = vocab.bytes_of(id);
    if (b.empty()) continue;
    const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
    if (b.size() == 1) {
      if (byte_token[p[0]] == id) split_left_[id] = split_right_[id] = id;
      continue;
    }
    sym.clear();
    bool known = true;
    for (std::size_t i = 0; i < b.size(); ++i) {
      known &= byte_token[p[i]] != kNoToken;
      sym.push_back(byte_token[p[i]]);
    }
    if (!known) continue;
    TokenId last_left = kNoToken, last_right = kNoToken;
    detail::bpe_of_symbols(
        sym, rank_of,
        [](std::uint32_t rank) { return rank; },  // tiktoken ranking: the rank is the token
        [&](TokenId l, TokenId r, std::uint32_t) {
          last_left = l;
          last_right = r;
        });
    if (sym.size() != 1 || sym[0] != id) continue;  // not valid: BPE never produces it
    // The compatibility walk unmerges newest first by comparing ids; it needs each token's
    // parts to be older (lower ids) than the token.
    if (last_left >= id || last_right >= id) return false;
    split_left_[id] = last_left;
    split_right_[id] = last_right;
  }
  return true;
}

// The trie of valid tokens, built from the tokens in byte order: each token shares its
// prefix with the previous one, so nodes are created in depth-first order, children of a node
// in byte order. Then the shorter valid prefix of each token.
inline void Backtracker::build_trie(const Vocab& vocab) {
  const std::size_t n_ids = vocab.n_ids();
  // Sort the valid tokens by their bytes, mostly on a big-endian key of the first eight
  // (integer compares; full compares only for ties).
  struct Keyed {
    std::uint64_t key;
    TokenId id;
  };
  std::vector<Keyed> order;
  for (TokenId id = 0; id < n_ids; ++id) {
    if (split_left_[id] == kNoToken) continue;
    const std::string_view b = vocab.bytes_of(id);
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      key = (key << 8) | (i < b.size() ? static_cast<std::uint8_t>(b[i]) : 0u);
    }
    order.push_back({key, id});
  }
  std::sort(order.begin(), order.end(), [&](const Keyed& a, const Keyed& b) {
    return a.key != b.key ? a.key < b.key : vocab.bytes_of(a.id) < vocab.bytes_of(b.id);
  });
  // A token's prefix shares the path of the token before it; nodes are created depth first,
  // each node's children in byte order. A shorter token always comes before its extensions,
  // so the last token seen on the path is the next shorter prefix.
  std::vector<std::uint32_t> parent{0};
  std::vector<std::uint8_t> byte{0};
  std::vector<TokenId> token{kNoToken};
  std::vector<std::uint32_t> path{0};   // path[d]: node at depth d of the previous token
  std::vector<TokenId> above{kNoToken};  // above[d]: deepest token on path[0..d]
  next_prefix_.assign(n_ids, kNoToken);
  std::string_view prev;
  for (const Keyed& k : order) {
    const std::string_view b = vocab.bytes_of(k.id);
    std::size_t common = 0;
    while (common < b.size() && common < prev.size() && b[common] == prev[common]) ++common;
    path.resize(common + 1);
    above.resize(common + 1);
    for (std::size_t d = common; d < b.size(); ++d) {
      parent.push_back(path[d]);
      byte.push_back(static_cast<std::uint8_t>(b[d]));
      token.push_back(kNoToken);
      path.push_back(static_cast<std::uint32_t>(parent.size() - 1));
      above.push_back(above[d]);
    }
    next_prefix_[k.id] = above[b.size() - 1];
    token[path[b.size()]] = k.id;
    above[b.size()] = k.id;
    prev = b;
  }
  const std::size_t n_nodes = parent.size();
  nodes_.assign(n_nodes, Node{});
  for (std::size_t i = 1; i < n_nodes; ++i) ++nodes_[parent[i]].count;
  std::uint32_t offset = 0;
  for (std::size_t i = 0; i < n_nodes; ++i) {
    nodes_[i].first = offset;
    nodes_[i].token = token[i];
    offset += nodes_[i].count;
    nodes_[i].count = 0;
  }
  edge_byte_.assign(offset, 0);
  edge_child_.assign(offset, 0);
  for (std::size_t i = 1; i < n_nodes; ++i) {  // in creation order: each parent's children by byte
    Node& p = nodes_[parent[i]];
    edge_byte_[p.first + p.count] = byte[i];
    edge_child_[p.first + p.count] = static_cast<std::uint32_t>(i);
    ++p.count;
  }
  for (std::size_t i = 0; i < n_nodes; ++i) {
    Node& nd = nodes_[i];
    if (nd.count < kDenseChildren) continue;
    nd.dense = static_cast<std::uint32_t>(dense_.size() / 256);
    dense_.resize(dense_.size() + 256, 0);
    for (std::uint32_t j = 0; j < nd.count; ++j) {
      dense_[std::size_t{nd.dense} * 256 + edge_byte_[nd.first + j]] = edge_child_[nd.first + j];
    }
  }
  for (std::uint32_t j = 0; j < nodes_[0].count; ++j) root_child_[edge_byte_[j]] = edge_child_[j];
}

inline std::vector<TokenId> Backtracker::splits() const {
  std::vector<TokenId> out(2 * split_left_.size());
  for (std::size_t i = 0; i < split_left_.size(); ++i) {
    out[2 * i] = split_left_[i];
    out[2 * i + 1] = split_right_[i];
  }
  return out;
}

inline std::uint32_t Backtracker::child(std::uint32_t node, std::uint8_t b) const {
  if (node == 0) return root_child_[b];
  const Node& nd = nodes_[node];
  if (nd.dense != kNoRank) return dense_[nd.dense * 256 + b];
  const std::uint8_t* edges = edge_byte_.data() + nd.first;
  for (std::uint32_t i = 0; i < nd.count; ++i) {  // fewer than kDenseChildren: scan
    if (edges[i] == b) return edge_child_[nd.first + i];
  }
  return 0;
}

inline TokenId Backtracker::longest_match(const std::uint8_t* p, std::size_t n,
                                          std::size_t* len) const {
  TokenId best = kNoToken;
  std::size_t best_len = 0;
  std::uint32_t node = 0;
  for (std::size_t i = 0; i < n; ++i) {
    node = child(node, p[i]);
    if (node == 0) break;
    const TokenId t = nodes_[node].token;
    if (t != kNoToken) {
      best = t;
      best_len = i + 1;
    }
  }
  *len = best_len;
  return best;
}

template <class PairRank>
bool Backtracker::compatible(TokenId left, TokenId right, PairRank& pair_rank) const {
  // `limit`: a merge across the boundary that ranks below it would come first. Ties go to
  // the leftmost pair: the merge that made `left` lies left of the boundary pair (limit =
  // left), the one that made `right` lies right of it (limit = right + 1).
  std::uint32_t limit = kNoRank;
  for (;;) {
    const std::uint32_t across = pair_rank(left, right);
    if (across != kNoRank && across < limit) return false;
    if (left > right) {
      limit = left;
      left = split_right_[left];
      if (left == limit) {  // a single byte: nothing left to unmerge on this side
        limit = right + 1;
        right = split_left_[right];
        if (right + 1 == limit) return true;
      }
    } else {
      limit = right + 1;
      right = split_left_[right];
      if (right + 1 == limit) {
        limit = left;
        left = split_right_[left];
        if (left == limit) return true;
      }
    }
  }
}

template <class PairRank>
bool Backtracker::encode(const std::uint8_t* p, std::size_t n, std::vector<TokenId>& out,
                         std::vector<std::uint8_t>& dead, PairRank&& pair_rank) const {
  out.clear();
  dead.assign(n + 1, 0);
  std::size_t pos = 0;
  std::size_t len = 0;  // len_[token], known without a load after longest_match
  TokenId token = longest_match(p, n, &len);
  if (token == kNoToken) return false;
  while (pos < n) {
    const std::size_t end = pos + len;
    if (!dead[end] && (out.empty() || compatible(out.back(), token, pair_rank))) {
      out.push_back(token);
      pos = end;
      if (pos < n) token = longest_match(p + pos, n - pos, &len);
      continue;
    }
    token = next_prefix_[token];
    if (token != kNoToken) len = len_[token];
    // No shorter candidate here: no BPE boundary can be at `pos` after what precedes it, so
    // back up to the previous token and try its shorter prefixes instead.
    while (token == kNoToken) {
      dead[pos] = 1;
      if (out.empty()) return false;
      const TokenId last = out.back();
      out.pop_back();
      pos -= len_[last];
      token = next_prefix_[last];
      if (token != kNoToken) len = len_[token];
    }
  }
  return true;
}

}  // namespace tokbench
