// A bounded memo from piece bytes to the ids the merge loop produced for them.
//
// Text repeats its words (Zipf), so most pieces have been seen before, even on a first pass
// over unseen text. One cache belongs to one thread at a time: an Encoding lends them out
// from a pool, so lookups take no lock. A slot holds a piece of up to 8 bytes and a result of
// one token inline, so the common hit (a short word that is one token) reads one cache line.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "hash.hpp"
#include "inlining.hpp"
#include "vocab.hpp"

namespace tokbench {

class PieceCache {
 public:
  // Pieces longer than this are not cached: they are rare, and would crowd the arena.
  static constexpr std::size_t kMaxKey = 256;
  // The table starts at 16,384 slots (512 KiB; from 4,096 it re-hashed twice on a page of
  // text, 5-10% of a first pass) and doubles up to this many (8 MiB); past that it starts
  // over. States are pooled, so a thread pays for the allocation once per encoding.
  static constexpr unsigned kMaxSlotsLog2 = 18;

  explicit PieceCache(unsigned slots_log2 = 14) : seed_(random_seed()) {
    resize(std::size_t{1} << slots_log2);
  }

  struct Hit {
    const TokenId* ids;
    std::size_t n;
  };

  // The cached ids for the piece, or {nullptr, 0}; h = detail::hash_bytes(p, n). Both finds
  // are forced inline: left to the compiler, the long-piece one stayed a call (Korean pieces
  // are mostly longer than eight bytes).
  TOKBENCH_HOT_INLINE Hit find(const std::uint8_t* p, std::size_t n, std::uint64_t h) const {
    if (n <= 8) return find_short(head_of(p, n), n);
    const std::uint64_t head = head_of(p, n);
    for (std::size_t i = slot_of(h);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key_len == 0) return {nullptr, 0};
      if (s.hash == h && s.key_len == n && s.head == head &&
          detail::same_tail(keys_.data() + s.key_off, p, n)) {
        return hit_of(s);
      }
    }
  }

  // The same for a piece of 1 to 8 bytes, given head = detail::head8(p, n), which is all of
  // it: no hash needed, so a hit waits on one multiply before its load rather than on the
  // three of hash_bytes and slot_of. Most pieces are this short.
  TOKBENCH_HOT_INLINE Hit find_short(std::uint64_t head, std::size_t n) const {
    for (std::size_t i = short_slot(head, n);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key_len == 0) return {nullptr, 0};
      if (s.head == head && s.key_len == n) return hit_of(s);
    }
  }

  void insert(const std::uint8_t* p, std::size_t n, std::uint64_t h, const TokenId* ids,
              std::size_t n_ids) {
    if (n == 0 || n > kMaxKey || n_ids == 0 || n_ids > 0xFFFF) return;
    // Bounded: when full, start over rather than evict piecemeal (cheap, and keeps the
    // working set of the current text).
    if ((used_ + 1) * 2 > slots_.size()) {
      if (slots_.size() < (std::size_t{1} << kMaxSlotsLog2)) {
        grow();
      } else {
        clear();
      }
    }
    const std::uint64_t head = head_of(p, n);
    std::size_t i = n <= 8 ? short_slot(head, n) : slot_of(h);
    while (slots_[i].key_len != 0) i = (i + 1) & mask_;
    Slot& s = slots_[i];
    s.hash = h;
    s.head = head;
    s.key_len = static_cast<std::uint16_t>(n);
    s.n_ids = static_cast<std::uint16_t>(n_ids);
    s.key_off = static_cast<std::uint32_t>(keys_.size());
    if (n > 8) keys_.insert(keys_.end(), p, p + n);
    if (n_ids == 1) {
      s.ids = ids[0];
    } else {
      s.ids = static_cast<std::uint32_t>(ids_.size());
      ids_.insert(ids_.end(), ids, ids + n_ids);
    }
    ++used_;
  }

  void clear() {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    keys_.clear();
    ids_.clear();
    used_ = 0;
  }

 private:
  void resize(std::size_t n_slots) {
    slots_.assign(n_slots, Slot{});
    mask_ = n_slots - 1;
    shift_ = 64;
    for (std::size_t n = n_slots; n > 1; n >>= 1) --shift_;
    used_ = 0;
  }
  // The first slot to probe: the top bits of (h ^ seed) times an odd constant. Not h's low
  // bits: the piece hash is unseeded, so text can be crafted whose pieces share their low
  // bits (about 2^18 tries per piece), and each such piece would probe past all the others
  // (a 1 MB text of 4,000 such words took 820 ms instead of 27). With a seed per cache the
  // slot cannot be predicted. Pieces whose whole 64-bit hash is equal still share a slot.
  std::size_t slot_of(std::uint64_t h) const {
    if (shift_ >= 64) return 0;  // a single slot
    return static_cast<std::size_t>(((h ^ seed_) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  // Short keys: their bytes (zero-padded, so the length joins in) xor the seed, times an odd
  // constant, top bits, as slot_of does with a hash: the slot of a piece still cannot be
  // predicted without the seed.
  std::size_t short_slot(std::uint64_t head, std::size_t n) const {
    if (shift_ >= 64) return 0;
    return static_cast<std::size_t>(((head ^ seed_ ^ (n << 59)) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  static std::uint64_t random_seed() {
    std::random_device rd;
    return (std::uint64_t{rd()} << 32) ^ rd();
  }
  // Twice the slots, same entries (the arenas are kept: offsets stay valid).
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    resize(old.size() * 2);
    for (const Slot& s : old) {
      if (s.key_len == 0) continue;
      std::size_t i = s.key_len <= 8 ? short_slot(s.head, s.key_len) : slot_of(s.hash);
      while (slots_[i].key_len != 0) i = (i + 1) & mask_;
      slots_[i] = s;
      ++used_;
    }
  }

  static std::uint64_t head_of(const std::uint8_t* p, std::size_t n) { return detail::head8(p, n); }
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t head = 0;     // the first eight bytes of the piece (all of it if shorter)
    std::uint32_t key_off = 0;  // where the whole piece is, if longer than eight bytes
    std::uint32_t ids = 0;      // the id itself for a one-token result, else its offset
    std::uint16_t key_len = 0;  // 0 marks an empty slot (empty pieces are never cached)
    std::uint16_t n_ids = 0;
  };
  Hit hit_of(const Slot& s) const {
    return s.n_ids == 1 ? Hit{&s.ids, 1} : Hit{ids_.data() + s.ids, s.n_ids};
  }
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> keys_;
  std::vector<TokenId> ids_;
  std::uint64_t seed_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t used_ = 0;
};

}  // namespace tokbench
