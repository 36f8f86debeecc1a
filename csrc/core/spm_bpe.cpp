#include "spm_bpe.hpp"

#include <algorithm>
#include <string>

#include "errors.hpp"
#include "hash.hpp"

namespace tokbench {

namespace {
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
// Pieces of up to this many symbols find the next merge by scanning all ranks; longer ones
// (long runs of one character, scripts without spaces) use a heap, O(n log n).
constexpr std::size_t kScanSymbols = 48;
constexpr std::uint32_t kSpaceMark = 0x2581;  // '▁'

// Length of the UTF-8 character starting with byte b (1 for a stray continuation byte, so
// that malformed input still advances).
inline std::size_t char_len(std::uint8_t b) {
  if (b < 0xC0) return 1;
  if (b < 0xE0) return 2;
  if (b < 0xF0) return 3;
  return 4;
}

inline std::uint32_t decode_char(const std::uint8_t* p, std::size_t len) {
  switch (len) {
    case 1:
      return p[0];
    case 2:
      return (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    case 3:
      return (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    default:
      return (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
  }
}

// Byte offsets of the character boundaries of a piece's text (0 and its length included).
std::vector<std::size_t> char_bounds(std::string_view t) {
  std::vector<std::size_t> b{0};
  for (std::size_t i = 0; i < t.size();) {
    i = std::min(t.size(), i + char_len(static_cast<std::uint8_t>(t[i])));
    b.push_back(i);
  }
  return b;
}

const std::uint8_t* bytes(std::string_view t) {
  return reinterpret_cast<const std::uint8_t*>(t.data());
}
}  // namespace

SpmModel::SpmModel(SpmModelSpec spec)
    : spec_(std::move(spec)),
      pieces_(Vocab(std::move(spec_.piece_bytes), std::move(spec_.piece_offsets))) {
  n_ids_ = pieces_.n_ids();
  bmp_id_.assign(0x10000, kNoToken);
  for (TokenId id = 0; id < n_ids_; ++id) {
    const std::string_view t = pieces_.bytes_of(id);
    if (t.empty()) continue;
    const std::size_t len = char_len(bytes(t)[0]);
    if (len == t.size() && len < 4) bmp_id_[decode_char(bytes(t), len)] = id;
    const std::vector<std::size_t> bounds = char_bounds(t);
    for (std::size_t k = 1; k + 1 < bounds.size(); ++k) {
      const std::size_t at = bounds[k];
      if (t.compare(at, 3, "\xE2\x96\x81") != 0) continue;
      const std::size_t start = bounds[k - 1];
      const std::uint32_t cp = decode_char(bytes(t) + start, at - start);
      if (std::find(glued_to_space_.begin(), glued_to_space_.end(), cp) == glued_to_space_.end()) {
        glued_to_space_.push_back(cp);
      }
    }
    if (spec_.ranking == SpmModelSpec::Ranking::kScores && spec_.unknown_chars_merge) {
      // A character inside a piece that is not a piece itself is still a symbol that merges.
      for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
        const std::string_view c = t.substr(bounds[k], bounds[k + 1] - bounds[k]);
        if (pieces_.find(bytes(c), c.size()) != kNoToken) continue;
        const std::string key(c);
        if (synthetic_id_.count(key) != 0) continue;
        const auto sid = static_cast<TokenId>(n_ids_ + synthetic_.size());
        synthetic_id_.emplace(key, sid);
        synthetic_.push_back(key);
        if (c.size() < 4) bmp_id_[decode_char(bytes(c), c.size())] = sid;
      }
    }
  }

  const auto symbol_of = [&](std::string_view s) {
    const TokenId id = pieces_.find(bytes(s), s.size());
    if (id != kNoToken) return id;
    const auto it = synthetic_id_.find(std::string(s));
    return it == synthetic_id_.end() ? kNoToken : it->second;
  };
  const auto add_pair = [&](TokenId l, TokenId r, std::uint32_t rank, TokenId merged) {
    pairs_.insert(l, r, static_cast<std::uint32_t>(merged_.size()));
    rank_.push_back(rank);
    merged_.push_back(merged);
  };
  if (spec_.ranking == SpmModelSpec::Ranking::kScores) {
    if (spec_.scores.size() != n_ids_) {
      throw VocabError("scores: expected one per id (" + std::to_string(n_ids_) + "), got " +
                       std::to_string(spec_.scores.size()));
    }
    // Dense ranks of the scores, best (highest) first: equal scores give equal ranks, so that
    // position decides between them, as in sentencepiece.
    std::vector<float> distinct;
    for (TokenId id = 0; id < n_ids_; ++id) {
      if (!pieces_.bytes_of(id).empty()) distinct.push_back(spec_.scores[id]);
    }
    std::sort(distinct.begin(), distinct.end(), [](float a, float b) { return a > b; });
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    pairs_ = PairMap(n_ids_ * 3);
    for (TokenId id = 0; id < n_ids_; ++id) {
      const std::string_view t = pieces_.bytes_of(id);
      if (t.empty()) continue;
      const auto rank = static_cast<std::uint32_t>(
          std::lower_bound(distinct.begin(), distinct.end(), spec_.scores[id],
                           [](float a, float b) { return a > b; }) -
          distinct.begin());
      const std::vector<std::size_t> bounds = char_bounds(t);
      for (std::size_t k = 1; k + 1 < bounds.size(); ++k) {
        const TokenId l = symbol_of(t.substr(0, bounds[k]));
        if (l == kNoToken) continue;
        const TokenId r = symbol_of(t.substr(bounds[k]));
        if (r != kNoToken) add_pair(l, r, rank, id);
      }
    }
  } else {
    if (spec_.merges.size() % 2 != 0) throw VocabError("merges must be pairs of token ids");
    const std::size_t n_merges = spec_.merges.size() / 2;
    pairs_ = PairMap(n_merges);
    std::vector<std::uint8_t> is_byte(n_ids_, 0);
    for (const TokenId b : spec_.byte_ids) {
      if (b < n_ids_) is_byte[b] = 1;
    }
    std::string joined;
    for (std::size_t m = 0; m < n_merges; ++m) {
      const TokenId l = spec_.merges[2 * m];
      const TokenId r = spec_.merges[2 * m + 1];
      const std::string_view a = pieces_.bytes_of(l);
      const std::string_view b = pieces_.bytes_of(r);
      if (a.empty() || b.empty()) {
        throw VocabError("merge " + std::to_string(m) + " names token id " +
                         std::to_string(a.empty() ? l : r) + ", which has no text");
      }
      joined.assign(a);
      joined.append(b);
      const TokenId merged = pieces_.find(bytes(joined), joined.size());
      if (merged == kNoToken) {
        throw VocabError("merge " + std::to_string(m) + " (ids " + std::to_string(l) + ", " +
                         std::to_string(r) + ") makes a string that is not in the vocabulary");
      }
      never_cut_ = never_cut_ || is_byte[l] != 0 || is_byte[r] != 0;
      add_pair(l, r, static_cast<std::uint32_t>(m), merged);
    }
  }
  pairs_.seal();
  whole_ = std::make_unique<std::atomic<std::uint8_t>[]>(n_ids_);
  if (!spec_.whole.empty() && spec_.whole.size() != n_ids_) {
    throw VocabError("whole-piece flags: expected one per id (" + std::to_string(n_ids_) +
                     "), got " + std::to_string(spec_.whole.size()));
  }
  for (std::size_t i = 0; i < n_ids_; ++i) {
    const std::uint8_t known =
        spec_.whole.empty() ? kUnknown : (spec_.whole[i] != 0 ? kWhole : kNotWhole);
    whole_[i].store(known, std::memory_order_relaxed);
  }
  spec_.whole = {};
}

std::vector<std::uint8_t> SpmModel::whole_flags() const {
  std::vector<std::uint8_t> out(n_ids_, 0);
  SpmScratch scratch;
  for (TokenId id = 0; id < n_ids_; ++id) {
    const std::string_view t = pieces_.bytes_of(id);
    if (t.empty()) continue;
    if (whole_[id].load(std::memory_order_relaxed) == kUnknown) {
      encode_chunk(bytes(t), t.size(), scratch);  // learns it
    }
    out[id] = whole_[id].load(std::memory_order_relaxed) == kWhole ? 1 : 0;
  }
  return out;
}

TokenId SpmModel::char_id(const std::uint8_t* p, std::size_t len) const {
  if (len < 4) return bmp_id_[decode_char(p, len)];
  const TokenId id = pieces_.find(p, len);
  if (id != kNoToken || synthetic_id_.empty()) return id;
  const auto it = synthetic_id_.find(std::string(reinterpret_cast<const char*>(p), len));
  return it == synthetic_id_.end() ? kNoToken : it->second;
}

void SpmModel::push_char(const std::uint8_t* p, std::size_t len, SpmScratch& s, std::size_t& n,
                         bool& last_unk) const {
  const TokenId id = char_id(p, len);
  if (id != kNoToken) {
    s.tok[n++] = id;
    last_unk = false;
    return;
  }
  bool all_bytes = spec_.byte_fallback;
  for (std::size_t i = 0; i < len && all_bytes; ++i) all_bytes = spec_.byte_ids[p[i]] != kNoToken;
  if (all_bytes) {
    for (std::size_t i = 0; i < len; ++i) s.tok[n++] = spec_.byte_ids[p[i]];
    last_unk = false;
    return;
  }
  if (spec_.unk_id == kNoToken) {
    throw VocabError("the text has a character that is not in the vocabulary, and the "
                     "tokenizer has neither byte fallback nor an unknown token");
  }
  if (!(spec_.fuse_unk && last_unk)) s.tok[n++] = spec_.unk_id;
  last_unk = true;
}

void SpmModel::prefetch_pairs(std::size_t n, SpmScratch& s) const {
  // A word's pairs are looked up one after another; most miss every cache on a first pass
  // (Gemma's table is megabytes), so asking for all of them first overlaps the waits.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const std::uint64_t key = PairMap::pack_key(s.tok[i], s.tok[i + 1]);
    const SpmScratch::MemoEntry& e =
        s.pair_memo[(key * 0x9E3779B97F4A7C15ULL) >> (64 - SpmScratch::kMemoBits)];
    if (e.key != key) pairs_.prefetch(s.tok[i], s.tok[i + 1]);
  }
}

SpmScratch::MemoEntry SpmModel::pair_of(TokenId l, TokenId r, SpmScratch& s) const {
  const std::uint64_t key = PairMap::pack_key(l, r);
  SpmScratch::MemoEntry& e =
      s.pair_memo[(key * 0x9E3779B97F4A7C15ULL) >> (64 - SpmScratch::kMemoBits)];
  if (e.key != key) {
    const std::uint32_t q = pairs_.find(l, r);
    e = {key, q == PairMap::kNoRank ? kNone : rank_[q], q == PairMap::kNoRank ? kNoToken : merged_[q]};
  }
  return e;
}

void SpmModel::emit(TokenId t, SpmScratch& s) const {
  if (t < n_ids_) {
    s.out.push_back(t);
    return;
  }
  // A character that was a symbol without being a piece: its bytes, as sentencepiece does
  // for an unknown piece.
  const std::string& c = synthetic_[t - n_ids_];
  bool all_bytes = spec_.byte_fallback;
  for (const char ch : c) all_bytes = all_bytes && spec_.byte_ids[static_cast<std::uint8_t>(ch)] != kNoToken;
  if (all_bytes) {
    for (const char ch : c) s.out.push_back(spec_.byte_ids[static_cast<std::uint8_t>(ch)]);
  } else if (spec_.unk_id != kNoToken) {
    s.out.push_back(spec_.unk_id);
  } else {
    throw VocabError("a character is not in the vocabulary and cannot fall back to bytes");
  }
}

std::size_t SpmModel::encode_chunk(const std::uint8_t* p, std::size_t n_bytes,
                                   SpmScratch& s) const {
  return encode_chunk(p, n_bytes, detail::hash_bytes(p, n_bytes), s);
}

std::size_t SpmModel::encode_chunk(const std::uint8_t* p, std::size_t n_bytes, std::uint64_t h,
                                   SpmScratch& s) const {
  s.out.clear();
  const TokenId whole = pieces_.find(p, n_bytes, h);
  const std::uint8_t known =
      whole == kNoToken ? kNotWhole : whole_[whole].load(std::memory_order_relaxed);
  if (known == kWhole) {
    s.out.push_back(whole);
    return 1;
  }
  const std::size_t n = merge_symbols(p, n_bytes, s);
  if (known == kUnknown) {
    const bool is_whole = n == 1 && s.tok[0] == whole;
    whole_[whole].store(is_whole ? kWhole : kNotWhole, std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < n; ++i) emit(s.tok[i], s);
  return s.out.size();
}

// Splits the chunk into character symbols and merges them; the result is s.tok[0..returned).
std::size_t SpmModel::merge_symbols(const std::uint8_t* p, std::size_t n_bytes,
                                    SpmScratch& s) const {
  if (s.tok.size() < n_bytes) s.tok.resize(n_bytes);
  if (s.pair_memo.empty()) {
    s.pair_memo.assign(std::size_t{1} << SpmScratch::kMemoBits, SpmScratch::MemoEntry{});
  }
  std::size_t n = 0;
  bool last_unk = false;
  for (std::size_t i = 0; i < n_bytes;) {
    const std::size_t len = std::min(char_len(p[i]), n_bytes - i);
    push_char(p + i, len, s, n, last_unk);
    i += len;
  }
  if (n > 1) {
    prefetch_pairs(n, s);
    n = n <= kScanSymbols ? merge_scan(n, s) : merge_heap(n, s);
  }
  return n;
}

// Sizes the merge buffers for n symbols and links them in order.
SpmModel::Links SpmModel::link(std::size_t n, SpmScratch& s) {
  if (s.rank.size() < n) {
    s.rank.resize(n);
    s.merged.resize(n);
    s.next.resize(n);
    s.prev.resize(n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    s.next[i] = i + 1 < n ? static_cast<std::uint32_t>(i + 1) : kNone;
    s.prev[i] = i > 0 ? static_cast<std::uint32_t>(i - 1) : kNone;
  }
  return {s.tok.data(), s.rank.data(), s.merged.data(), s.next.data(), s.prev.data()};
}

// Symbols keep their slots; a merge kills the right symbol and links around it. The next
// merge is the first minimum over the ranks (killed slots hold kNone).
std::size_t SpmModel::merge_scan(std::size_t n, SpmScratch& s) const {
  const Links l = link(n, s);
  TokenId* tok = l.tok;
  std::uint32_t *rank = l.rank, *next = l.next, *prev = l.prev;
  TokenId* merged = l.merged;
  const auto set_pair = [&](std::uint32_t i, std::uint32_t j) {
    const SpmScratch::MemoEntry e = pair_of(tok[i], tok[j], s);
    rank[i] = e.rank;
    merged[i] = e.merged;
  };
  for (std::size_t i = 0; i + 1 < n; ++i) set_pair(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1));
  rank[n - 1] = kNone;
  for (;;) {
    std::uint32_t best = kNone;
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool better = rank[i] < best;
      at = better ? i : at;
      best = better ? rank[i] : best;
    }
    if (best == kNone) break;
    const auto i = static_cast<std::uint32_t>(at);
    const std::uint32_t j = next[i];
    tok[i] = merged[i];
    rank[j] = kNone;
    next[i] = next[j];
    if (next[i] != kNone) {
      prev[next[i]] = i;
      set_pair(i, next[i]);
    } else {
      rank[i] = kNone;
    }
    if (prev[i] != kNone) set_pair(prev[i], i);
  }
  std::size_t k = 0;
  for (std::uint32_t i = 0; i != kNone; i = next[i]) tok[k++] = tok[i];
  return k;
}

std::size_t SpmModel::merge_heap(std::size_t n, SpmScratch& s) const {
  using Entry = SpmScratch::HeapEntry;
  const Links l = link(n, s);
  TokenId* tok = l.tok;
  std::uint32_t *rank = l.rank, *next = l.next, *prev = l.prev;
  TokenId* merged = l.merged;
  // Min-heap on (rank, position): the best priority first, the leftmost among equals.
  const auto later = [](const Entry& a, const Entry& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  auto& heap = s.heap;
  heap.clear();
  const auto update = [&](std::uint32_t i) {
    const std::uint32_t j = next[i];
    if (j == kNone) {
      rank[i] = kNone;
      return;
    }
    const SpmScratch::MemoEntry e = pair_of(tok[i], tok[j], s);
    rank[i] = e.rank;
    merged[i] = e.merged;
    if (e.rank == kNone) return;
    heap.push_back({rank[i], i});
    std::push_heap(heap.begin(), heap.end(), later);
  };
  for (std::size_t i = 0; i < n; ++i) update(static_cast<std::uint32_t>(i));
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Entry e = heap.back();
    heap.pop_back();
    const std::uint32_t i = e.pos;
    // Stale once either symbol has changed: rank[i] is kept current (a killed slot's is kNone).
    if (rank[i] != e.rank) continue;
    const std::uint32_t j = next[i];
    tok[i] = merged[i];
    rank[j] = kNone;
    next[i] = next[j];
    if (next[i] != kNone) prev[next[i]] = i;
    update(i);
    if (prev[i] != kNone) update(prev[i]);
  }
  std::size_t k = 0;
  for (std::uint32_t i = 0; i != kNone; i = next[i]) tok[k++] = tok[i];
  return k;
}

}  // namespace tokbench
