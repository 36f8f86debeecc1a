#include "bpe.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "errors.hpp"
#include "hash.hpp"

namespace tokbench {

namespace {
// Pieces up to this many bytes use the array scan (quadratic but branch-light and cache
// resident); longer ones use the heap, which stays O(n log n) on pathological inputs such
// as a million spaces or one long CJK run. Measured in csrc/NOTES.md.
constexpr std::size_t kSmallPiece = 48;
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
}  // namespace

PairMap::PairMap(std::size_t expected) {
  const std::size_t cap = detail::next_pow2(expected * 2 + 16);
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
}

std::size_t PairMap::slot_of(std::uint64_t key) const { return detail::mix64(key) & mask_; }

void PairMap::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  size_ = 0;
  for (const Slot& s : old) {
    if (s.key != kEmpty) insert(static_cast<TokenId>(s.key >> 32), static_cast<TokenId>(s.key), s.value);
  }
}

void PairMap::insert(TokenId left, TokenId right, Value v) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::uint64_t key = pack(left, right);
  for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.key == key) {
      s.value = v;
      return;
    }
    if (s.key == kEmpty) {
      s.key = key;
      s.value = v;
      ++size_;
      return;
    }
  }
}

BpeModel::BpeModel(Vocab vocab, Ranking ranking, const std::vector<TokenId>& merges,
                   bool whole_piece_first)
    : vocab_(std::move(vocab)) {
  for (unsigned b = 0; b < 256; ++b) {
    const auto byte = static_cast<std::uint8_t>(b);
    byte_token_[b] = vocab_.find(&byte, 1);
  }
  const std::size_t n_ids = vocab_.n_ids();
  if (ranking == Ranking::kTiktoken) {
    // Every split of a token into two tokens is a pair that merges into it, at its rank.
    pairs_ = PairMap(vocab_.n_tokens() * 9 / 4);
    for (TokenId id = 0; id < n_ids; ++id) {
      const std::string_view b = vocab_.bytes_of(id);
      const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
      for (std::size_t k = 1; k < b.size(); ++k) {
        const TokenId left = vocab_.find(p, k);
        if (left == kNoToken) continue;
        const TokenId right = vocab_.find(p + k, b.size() - k);
        if (right != kNoToken) pairs_.insert(left, right, {id, id});
      }
    }
  } else {
    if (merges.size() % 2 != 0) throw VocabError("merges must be pairs of token ids");
    pairs_ = PairMap(merges.size() / 2);
    std::string joined;
    for (std::size_t r = 0; r < merges.size() / 2; ++r) {
      const TokenId left = merges[2 * r];
      const TokenId right = merges[2 * r + 1];
      const std::string_view a = vocab_.bytes_of(left);
      const std::string_view b = vocab_.bytes_of(right);
      if (a.empty() || b.empty()) {
        throw VocabError("merge " + std::to_string(r) + " names token id " +
                         std::to_string(a.empty() ? left : right) +
                         ", which is not in the vocabulary");
      }
      joined.assign(a);
      joined.append(b);
      const TokenId merged =
          vocab_.find(reinterpret_cast<const std::uint8_t*>(joined.data()), joined.size());
      if (merged == kNoToken) {
        throw VocabError("merge " + std::to_string(r) + " (ids " + std::to_string(left) + ", " +
                         std::to_string(right) + ") makes a byte string that is not a token");
      }
      pairs_.insert(left, right, {static_cast<std::uint32_t>(r), merged});
    }
  }
  whole_ok_.assign(n_ids, whole_piece_first ? 1 : 0);
  if (!whole_piece_first) {
    // The shortcut is exact for a token iff merging its own bytes rebuilds it.
    MergeScratch scratch;
    for (TokenId id = 0; id < n_ids; ++id) {
      const std::string_view b = vocab_.bytes_of(id);
      if (b.empty()) continue;
      const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
      bool bytes_known = true;
      for (std::size_t i = 0; i < b.size(); ++i) bytes_known &= byte_token_[p[i]] != kNoToken;
      if (bytes_known && merge(p, b.size(), scratch) == 1 && scratch.tok[0] == id) whole_ok_[id] = 1;
    }
  }
}

std::size_t BpeModel::merge(const std::uint8_t* p, std::size_t n, MergeScratch& s) const {
  if (s.tok.size() < n) s.tok.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TokenId t = byte_token_[p[i]];
    if (t == kNoToken) {
      throw VocabError("the vocabulary has no token for byte " + std::to_string(p[i]) +
                       ", which the input contains");
    }
    s.tok[i] = t;
  }
  if (n == 1) return 1;
  return n <= kSmallPiece ? merge_small(n, s) : merge_heap(n, s);
}

std::size_t BpeModel::merge_small(std::size_t n, MergeScratch& s) const {
  if (s.pair.size() < n) s.pair.resize(n);
  TokenId* tok = s.tok.data();
  PairMap::Value* pair = s.pair.data();
  for (std::size_t i = 0; i + 1 < n; ++i) pair[i] = pairs_.find(tok[i], tok[i + 1]);
  pair[n - 1] = {PairMap::kNoRank, kNoToken};
  std::size_t m = n;
  while (m > 1) {
    std::uint32_t best = PairMap::kNoRank;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < m; ++i) {
      if (pair[i].rank < best) {
        best = pair[i].rank;
        at = i;
      }
    }
    if (best == PairMap::kNoRank) break;
    tok[at] = pair[at].merged;
    std::memmove(tok + at + 1, tok + at + 2, (m - at - 2) * sizeof(TokenId));
    std::memmove(pair + at + 1, pair + at + 2, (m - at - 2) * sizeof(PairMap::Value));
    --m;
    pair[at] = at + 1 < m ? pairs_.find(tok[at], tok[at + 1])
                          : PairMap::Value{PairMap::kNoRank, kNoToken};
    if (at > 0) pair[at - 1] = pairs_.find(tok[at - 1], tok[at]);
  }
  return m;
}

std::size_t BpeModel::merge_heap(std::size_t n, MergeScratch& s) const {
  using Entry = MergeScratch::HeapEntry;
  s.next.resize(n);
  s.prev.resize(n);
  TokenId* tok = s.tok.data();
  std::uint32_t* next = s.next.data();
  std::uint32_t* prev = s.prev.data();
  for (std::size_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? static_cast<std::uint32_t>(i + 1) : kNone;
    prev[i] = i > 0 ? static_cast<std::uint32_t>(i - 1) : kNone;
  }
  // Min-heap on (rank, position): the lowest rank merges first, the leftmost among equals.
  const auto later = [](const Entry& a, const Entry& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  auto& heap = s.heap;
  heap.clear();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const PairMap::Value v = pairs_.find(tok[i], tok[i + 1]);
    if (v.rank != PairMap::kNoRank) heap.push_back({v.rank, static_cast<std::uint32_t>(i), v.merged});
  }
  std::make_heap(heap.begin(), heap.end(), later);
  const auto push = [&](std::uint32_t pos) {
    const PairMap::Value v = pairs_.find(tok[pos], tok[next[pos]]);
    if (v.rank == PairMap::kNoRank) return;
    heap.push_back({v.rank, pos, v.merged});
    std::push_heap(heap.begin(), heap.end(), later);
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Entry e = heap.back();
    heap.pop_back();
    const std::uint32_t i = e.pos;
    const std::uint32_t j = next[i];
    if (tok[i] == kNoToken || j == kNone) continue;
    // An entry is stale once either symbol has changed; the pair then maps elsewhere.
    const PairMap::Value v = pairs_.find(tok[i], tok[j]);
    if (v.rank != e.rank || v.merged != e.merged) continue;
    tok[i] = e.merged;
    tok[j] = kNoToken;
    next[i] = next[j];
    if (next[i] != kNone) prev[next[i]] = i;
    if (prev[i] != kNone) push(prev[i]);
    if (next[i] != kNone) push(i);
  }
  std::size_t m = 0;
  for (std::uint32_t i = 0; i != kNone; i = next[i]) tok[m++] = tok[i];
  return m;
}

}  // namespace tokbench
