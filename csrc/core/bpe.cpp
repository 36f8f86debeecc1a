#include "bpe.hpp"
#include "own_bpe.hpp"

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <string>

#include "errors.hpp"
#include "hash.hpp"

namespace tokbench {

namespace {
// Pieces up to kSmallPiece bytes scan all ranks for the next merge; up to kMediumPiece they
// keep per-block minima; longer ones use the heap, which stays O(n log n) on pathological
// inputs such as a million spaces or one long CJK run. Measured in csrc/NOTES.md.
constexpr std::size_t kSmallPiece = 32;
constexpr std::size_t kMediumPiece = 512;
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
// The backtracker beats the merge loop on text of three-byte characters (CJK, Thai, Hindi,
// Korean: 1.1-2x per merge in csrc/tools/merge_bench) and loses on ASCII and two-byte
// scripts (Latin, Cyrillic, Arabic: 0.65-0.8x), so a piece goes to it when one of its first
// characters is a three- or four-byte one.
inline bool prefers_backtracking(const std::uint8_t* p, std::size_t n) {
  const std::size_t look = n < 4 ? n : 4;
  for (std::size_t i = 0; i < look; ++i) {
    if (p[i] >= 0xE0) return true;
  }
  return false;
}
// Whether a piece the backtracker would take may start from whole characters faster: when
// its first wide character is not from U+0800-U+0FFF (Indic scripts, Thai) or Hangul
// syllables (lead bytes 0xEA-0xED), whose words join many characters and often cut them.
// Speed only: either way gives the same tokens.
inline bool wide_chars_start_whole(const std::uint8_t* p, std::size_t n) {
  const std::size_t look = n < 4 ? n : 4;
  for (std::size_t i = 0; i < look; ++i) {
    if (p[i] >= 0xE0) return p[i] != 0xE0 && (p[i] < 0xEA || p[i] > 0xED);
  }
  return true;
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// PairMap

PairMap::PairMap(std::size_t expected) {
  // Buckets of eight slots up to ~90% full: most lookups still stay inside one cache line, and
  // the table is half the size it would be at the next power of two (cache residency matters
  // more here than the odd second probe).
  const std::size_t buckets = detail::next_pow2(expected * 100 / 90 / kBucket + 1);
  slots_.assign(buckets * kBucket, kEmpty);
  bucket_mask_ = buckets - 1;
}

void PairMap::seal() {
  // About 9 bits per pair, three probes in one 64-byte block: ~4% false positives.
  filter_ = detail::BlockedBloom(size_, 9);
  for_each([&](TokenId l, TokenId r, std::uint32_t) { filter_.add(detail::mix64(pack_key(l, r))); });
}

void PairMap::grow() {
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, kEmpty);
  bucket_mask_ = slots_.size() / kBucket - 1;
  size_ = 0;
  for (const std::uint64_t v : old) {
    if (v == kEmpty) continue;
    const std::uint64_t key = v >> kRankBits;
    insert(static_cast<TokenId>(key >> kIdBits), static_cast<TokenId>(key & kIdMask),
           static_cast<std::uint32_t>(v & kRankMask));
  }
}

void PairMap::insert(TokenId left, TokenId right, std::uint32_t rank) {
  if (left > kMaxId || right > kMaxId || rank > kMaxRank) {
    throw VocabError("token id or merge rank too large for the pair table (ids must be below " +
                     std::to_string(kMaxId) + ", ranks below " + std::to_string(kMaxRank) + ")");
  }
  if ((size_ + 1) * 100 > slots_.size() * 92) grow();
  const std::uint64_t key = pack_key(left, right);
  const std::uint64_t value = (key << kRankBits) | rank;
  for (std::size_t b = bucket_of(key);; b = (b + 1) & bucket_mask_) {
    std::uint64_t* slot = &slots_[b * kBucket];
    for (unsigned i = 0; i < kBucket; ++i) {
      if (slot[i] == kEmpty) {
        slot[i] = value;
        ++size_;
        return;
      }
      if ((slot[i] >> kRankBits) == key) {
        slot[i] = value;
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// BpeModel

BpeModel::BpeModel(Vocab vocab, Ranking ranking, const std::vector<TokenId>& merges,
                   bool whole_piece_first, const std::vector<TokenId>* splits)
    : vocab_(std::move(vocab)) {
  for (unsigned b = 0; b < 256; ++b) {
    const auto byte = static_cast<std::uint8_t>(b);
    byte_token_[b] = vocab_.find(&byte, 1);
    all_bytes_known_ &= byte_token_[b] != kNoToken;
  }
  const std::size_t n_ids = vocab_.n_ids();
  if (ranking == Ranking::kTiktoken) {
    // Every split of a token into two tokens is a pair that merges into it, ranked by its id.
    pairs_ = PairMap(vocab_.n_tokens() * 9 / 4);
    for (TokenId id = 0; id < n_ids; ++id) {
      const std::string_view b = vocab_.bytes_of(id);
      const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
      for (std::size_t k = 1; k < b.size(); ++k) {
        const TokenId left = vocab_.find(p, k);
        if (left == kNoToken) continue;
        const TokenId right = vocab_.find(p + k, b.size() - k);
        if (right != kNoToken) pairs_.insert(left, right, id);
      }
    }
  } else {
    if (merges.size() % 2 != 0) throw VocabError("merges must be pairs of token ids");
    const std::size_t n_merges = merges.size() / 2;
    pairs_ = PairMap(n_merges);
    merged_of_rank_.assign(n_merges, kNoToken);
    std::string joined;
    for (std::size_t r = 0; r < n_merges; ++r) {
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
      merged_of_rank_[r] = merged;
      pairs_.insert(left, right, static_cast<std::uint32_t>(r));
    }
  }
  pairs_.seal();
  // The first pass over a piece only ever looks up pairs of single bytes: a direct table
  // (256 KiB, cache resident) answers those without touching the pair map.
  byte_pair_rank_.assign(256 * 256, PairMap::kNoRank);
  for (unsigned a = 0; a < 256; ++a) {
    if (byte_token_[a] == kNoToken) continue;
    for (unsigned b = 0; b < 256; ++b) {
      if (byte_token_[b] == kNoToken) continue;
      byte_pair_rank_[a * 256 + b] = pairs_.find(byte_token_[a], byte_token_[b]);
    }
  }
  if (ranking == Ranking::kTiktoken) {
    backtrack_ = Backtracker(
        vocab_, byte_token_, [this](TokenId l, TokenId r) { return pairs_.find(l, r); }, splits);
  }
  char_start_ = CharStart(vocab_, byte_token_, chars_that_may_start_whole(), lowest_rank_making());
  whole_ok_.assign(n_ids, whole_piece_first ? 1 : 0);
  whole_always_ = whole_piece_first;
  if (!whole_piece_first) {
    // The shortcut is exact for a token iff merging its own bytes rebuilds it.
    MergeScratch scratch;
    for (TokenId id = 0; id < n_ids; ++id) {
      const std::string_view b = vocab_.bytes_of(id);
      if (b.empty()) continue;
      const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
      bool bytes_known = true;
      for (std::size_t i = 0; i < b.size(); ++i) bytes_known &= byte_token_[p[i]] != kNoToken;
      if (bytes_known && merge(p, b.size(), scratch) == 1 && scratch.tok[0] == id) {
        whole_ok_[id] = 1;
      }
    }
  }
}

std::size_t BpeModel::merge(const std::uint8_t* p, std::size_t n, MergeScratch& s) const {
  if (s.tok.size() < n) s.tok.resize(n);
  if (s.pair_memo.empty()) s.pair_memo.assign(std::size_t{1} << MergeScratch::kMemoBits, ~std::uint64_t{0});
  // Bytes without a token raise before any symbol is used (byte-level vocabularies have all
  // 256, so the check is skipped for them).
  if (!all_bytes_known_) {
    for (std::size_t i = 0; i < n; ++i) {
      if (byte_token_[p[i]] == kNoToken) {
        throw VocabError("the vocabulary has no token for byte " + std::to_string(p[i]) +
                         ", which the input contains");
      }
    }
  }
  if (n == 1) {
    s.tok[0] = byte_token_[p[0]];
    return 1;
  }
  const bool backtracking = backtrack_.enabled() && prefers_backtracking(p, n);
  if (char_start_.enabled() && (!backtracking || wide_chars_start_whole(p, n))) {
    // Fewer symbols, fewer merges. For text of three-byte characters the backtracker is
    // faster unless most of them start whole (Chinese, Japanese: 1.45x; Thai, where ~80% do
    // and words join many characters, 0.6x): CJK pieces take this start unless it leaves
    // more than 4/5 of their bytes as symbols (cachegrind, cl100k Chinese: L1 misses per
    // cold pass 272k with the bound at 1/2, 145k at 4/5; see csrc/NOTES.md).
    const std::size_t k = char_start_.symbols(p, n, s.tok.data());
    if (k > 0 && (!backtracking || 5 * k <= 4 * n)) return merge_symbols(p, k, false, s);
  }
  for (std::size_t i = 0; i < n; ++i) s.tok[i] = byte_token_[p[i]];
  if (backtracking) {
    if (backtrack_.encode(p, n, s.bt_out, s.bt_dead,
                          [&](TokenId l, TokenId r) { return pair_rank(l, r, s); })) {
      std::copy(s.bt_out.begin(), s.bt_out.end(), s.tok.begin());
      return s.bt_out.size();
    }
  }
  return merge_symbols(p, n, true, s);
}

// The tokens of one character of two or three bytes that BPE may start from whole
// (char_start.hpp), with the highest rank of the merges of their own BPE (kNoRank for the
// others): BPE of the character's own bytes gives the token, and every merge that takes the
// token as one side ranks above the highest-ranked merge of that BPE. Then, in any text, such
// a merge cannot be the lowest-ranked pair while the character is incomplete, so starting
// from the character changes no choice. (Tiktoken ranking with every token built from older
// parts meets the second condition for every character; a merges list from training does
// too, but the check does not assume it.)
std::vector<std::uint32_t> BpeModel::chars_that_may_start_whole() const {
  const std::size_t n_ids = vocab_.n_ids();
  std::vector<std::uint32_t> done(n_ids, PairMap::kNoRank);  // highest rank of its own BPE
  std::vector<TokenId> sym;
  for (TokenId id = 0; id < n_ids; ++id) {
    const std::string_view b = vocab_.bytes_of(id);
    const auto* u = reinterpret_cast<const std::uint8_t*>(b.data());
    if (b.size() < 2 || b.size() > 3 || b.size() != detail::utf8_len(u[0])) continue;
    sym.clear();
    for (std::size_t i = 0; i < b.size(); ++i) sym.push_back(byte_token_[u[i]]);
    if (std::find(sym.begin(), sym.end(), kNoToken) != sym.end()) continue;
    std::uint32_t highest = 0;
    detail::bpe_of_symbols(
        sym, [&](TokenId l, TokenId r) { return pairs_.find(l, r); },
        [&](std::uint32_t rank) { return merged(rank); },
        [&](TokenId, TokenId, std::uint32_t rank) { highest = std::max(highest, rank); });
    if (sym.size() == 1 && sym[0] == id) done[id] = highest;
  }
  pairs_.for_each([&](TokenId l, TokenId r, std::uint32_t rank) {
    if (l < n_ids && done[l] != PairMap::kNoRank && rank <= done[l]) done[l] = PairMap::kNoRank;
    if (r < n_ids && done[r] != PairMap::kNoRank && rank <= done[r]) done[r] = PairMap::kNoRank;
  });
  return done;
}

// For each token, the lowest rank of a merge that makes it (kNoRank if none does): a token
// across a character's edge can only appear once such a merge is chosen.
std::vector<std::uint32_t> BpeModel::lowest_rank_making() const {
  std::vector<std::uint32_t> made(vocab_.n_ids(), PairMap::kNoRank);
  pairs_.for_each([&](TokenId, TokenId, std::uint32_t rank) {
    const TokenId t = merged(rank);
    if (t < made.size()) made[t] = std::min(made[t], rank);
  });
  return made;
}

std::size_t BpeModel::merge_symbols(const std::uint8_t* p, std::size_t n, bool from_bytes,
                                    MergeScratch& s) const {
  if (n == 1) return 1;
  if (n <= kSmallPiece) {
    return from_bytes ? merge_linked<false, true>(p, n, s) : merge_linked<false, false>(p, n, s);
  }
  if (n <= kMediumPiece) {
    return from_bytes ? merge_linked<true, true>(p, n, s) : merge_linked<true, false>(p, n, s);
  }
  return merge_heap(p, n, from_bytes, s);
}

namespace {
#if defined(__SSE2__)
// SSE2 has no unsigned 32-bit minimum: flipping the sign bit makes a signed compare order
// unsigned values, and a mask blends the smaller ones in.
inline __m128i min_u32(__m128i a, __m128i b) {
  const __m128i bias = _mm_set1_epi32(static_cast<int>(0x80000000u));
  const __m128i a_gt_b = _mm_cmpgt_epi32(_mm_xor_si128(a, bias), _mm_xor_si128(b, bias));
  return _mm_or_si128(_mm_and_si128(a_gt_b, b), _mm_andnot_si128(a_gt_b, a));
}
#endif

// Minimum of eight ranks, without branches.
inline std::uint32_t min8(const std::uint32_t* r) {
#if defined(__SSE2__)
  __m128i m = min_u32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r)),
                      _mm_loadu_si128(reinterpret_cast<const __m128i*>(r + 4)));
  m = min_u32(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
  m = min_u32(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
  return static_cast<std::uint32_t>(_mm_cvtsi128_si32(m));
#else
  std::uint32_t m = r[0];
  for (std::size_t k = 1; k < 8; ++k) m = std::min(m, r[k]);
  return m;
#endif
}

// Position of the first occurrence of `value` among r[0..8) (it must occur).
inline std::size_t find8(const std::uint32_t* r, std::uint32_t value) {
#if defined(__SSE2__)
  const __m128i v = _mm_set1_epi32(static_cast<int>(value));
  const int lo = _mm_movemask_ps(_mm_castsi128_ps(
      _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r)), v)));
  const int hi = _mm_movemask_ps(_mm_castsi128_ps(
      _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r + 4)), v)));
  return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(lo | (hi << 4))));
#else
  unsigned mask = 0;
  for (unsigned k = 0; k < 8; ++k) mask |= static_cast<unsigned>(r[k] == value) << k;
  return static_cast<std::size_t>(__builtin_ctz(mask));
#endif
}

// Position of the first smallest of the eight-value groups v[0..n) (n a multiple of 8), and
// that smallest value. The group that wins is chosen by conditional moves, not a branch:
// which group holds the minimum is data, not a pattern.
inline std::size_t argmin_groups(const std::uint32_t* v, std::size_t n, std::uint32_t* best) {
  std::uint32_t m_best = PairMap::kNoRank;
  std::size_t at = 0;
  for (std::size_t g = 0; g < n; g += 8) {
    const std::uint32_t m = min8(v + g);
    at = m < m_best ? g : at;
    m_best = m < m_best ? m : m_best;
  }
  *best = m_best;
  return at;
}
}  // namespace

// Symbols keep their original slots (no shifting): a merge kills the right symbol and links
// around it, and a killed slot's rank is kNoRank, so the first minimum over the ranks is the
// next merge (the lowest rank, leftmost among equals), found without data-dependent
// branches. Short pieces scan all ranks for it (kBlocks = false); longer ones keep the
// minimum of each block of eight beside the ranks: a merge changes at most three slots, so
// it refreshes at most three block minima, and the search reads the block minima and then
// one block.
template <bool kBlocks, bool kFromBytes>
std::size_t BpeModel::merge_linked(const std::uint8_t* p, std::size_t n, MergeScratch& s) const {
  const std::size_t padded = (n + 7) & ~std::size_t{7};
  const std::size_t blocks = padded / 8;
  const std::size_t blocks_padded = (blocks + 7) & ~std::size_t{7};
  if (s.rank.size() < padded) s.rank.resize(padded);
  if (s.block_min.size() < blocks_padded) s.block_min.resize(blocks_padded);
  if (s.next.size() < n) s.next.resize(n);
  if (s.prev.size() < n) s.prev.resize(n);
  TokenId* tok = s.tok.data();
  std::uint32_t* rank = s.rank.data();
  std::uint32_t* block_min = s.block_min.data();
  std::uint32_t* next = s.next.data();
  std::uint32_t* prev = s.prev.data();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    rank[i] = kFromBytes ? byte_pair_rank_[p[i] * 256u + p[i + 1]] : pair_rank(tok[i], tok[i + 1], s);
    next[i] = static_cast<std::uint32_t>(i + 1);
    prev[i + 1] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t i = n - 1; i < padded; ++i) rank[i] = PairMap::kNoRank;
  next[n - 1] = kNone;
  prev[0] = kNone;
  if (kBlocks) {
    for (std::size_t b = 0; b < blocks; ++b) block_min[b] = min8(rank + 8 * b);
    for (std::size_t b = blocks; b < blocks_padded; ++b) block_min[b] = PairMap::kNoRank;
  }
  const auto refresh = [&](std::uint32_t pos) {
    if (kBlocks) block_min[pos / 8] = min8(rank + (pos & ~7u));
  };
  for (;;) {
    std::uint32_t best;
    std::size_t block;
    if (kBlocks) {
      const std::size_t group = argmin_groups(block_min, blocks_padded, &best);
      if (best == PairMap::kNoRank) break;
      block = group + find8(block_min + group, best);
    } else {
      block = argmin_groups(rank, padded, &best) / 8;
      if (best == PairMap::kNoRank) break;
    }
    const auto i = static_cast<std::uint32_t>(8 * block + find8(rank + 8 * block, best));
    const std::uint32_t j = next[i];
    const std::uint32_t after = next[j];
    tok[i] = merged(best);
    rank[j] = PairMap::kNoRank;
    next[i] = after;
    if (after != kNone) {
      prev[after] = i;
      rank[i] = pair_rank(tok[i], tok[after], s);
    } else {
      rank[i] = PairMap::kNoRank;
    }
    const std::uint32_t before = prev[i];
    if (before != kNone) {
      rank[before] = pair_rank(tok[before], tok[i], s);
      if (before / 8 != i / 8) refresh(before);
    }
    refresh(i);
    if (j / 8 != i / 8) refresh(j);
  }
  std::size_t k = 0;
  for (std::uint32_t i = 0; i != kNone; i = next[i]) tok[k++] = tok[i];
  return k;
}

std::size_t BpeModel::merge_heap(const std::uint8_t* p, std::size_t n, bool from_bytes,
                                 MergeScratch& s) const {
  using Entry = MergeScratch::HeapEntry;
  s.next.resize(n);
  s.prev.resize(n);
  if (s.rank.size() < n) s.rank.resize(n);
  TokenId* tok = s.tok.data();
  std::uint32_t* next = s.next.data();
  std::uint32_t* prev = s.prev.data();
  std::uint32_t* rank = s.rank.data();  // rank[i]: current pair at i (kNoRank if none)
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
    rank[i] = from_bytes ? byte_pair_rank_[p[i] * 256u + p[i + 1]] : pair_rank(tok[i], tok[i + 1], s);
    if (rank[i] != PairMap::kNoRank) heap.push_back({rank[i], static_cast<std::uint32_t>(i)});
  }
  rank[n - 1] = PairMap::kNoRank;
  std::make_heap(heap.begin(), heap.end(), later);
  const auto update = [&](std::uint32_t pos) {
    rank[pos] = next[pos] == kNone ? PairMap::kNoRank : pair_rank(tok[pos], tok[next[pos]], s);
    if (rank[pos] == PairMap::kNoRank) return;
    heap.push_back({rank[pos], pos});
    std::push_heap(heap.begin(), heap.end(), later);
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Entry e = heap.back();
    heap.pop_back();
    const std::uint32_t i = e.pos;
    // Stale once either symbol of the pair has changed: rank[i] is kept current.
    if (tok[i] == kNoToken || rank[i] != e.rank) continue;
    const std::uint32_t j = next[i];
    tok[i] = merged(e.rank);
    tok[j] = kNoToken;
    rank[j] = PairMap::kNoRank;
    next[i] = next[j];
    if (next[i] != kNone) prev[next[i]] = i;
    update(i);
    if (prev[i] != kNone) update(prev[i]);
  }
  std::size_t m = 0;
  for (std::uint32_t i = 0; i != kNone; i = next[i]) tok[m++] = tok[i];
  return m;
}

}  // namespace tokbench
