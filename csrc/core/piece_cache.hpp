// A bounded memo from piece bytes to the ids the merge loop produced for them.
//
// Text repeats its words (Zipf), so most pieces that need merging have been merged before,
// even on a first pass over unseen text. One cache belongs to one thread at a time: an
// Encoding lends them out from a pool, so lookups take no lock.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "hash.hpp"
#include "vocab.hpp"

namespace tokbench {

class PieceCache {
 public:
  // Pieces longer than this are not cached: they are rare, and would crowd the arena.
  static constexpr std::size_t kMaxKey = 256;

  explicit PieceCache(std::size_t slots_log2 = 15) {
    slots_.resize(std::size_t{1} << slots_log2);
    mask_ = slots_.size() - 1;
    keys_.reserve(slots_.size() * 12);
    ids_.reserve(slots_.size() * 4);
  }

  struct Hit {
    const TokenId* ids;
    std::size_t n;
  };

  // The cached ids for the piece, or {nullptr, 0}.
  Hit find(const std::uint8_t* p, std::size_t n, std::uint64_t h) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key_len == 0) return {nullptr, 0};
      if (s.hash == h && s.key_len == n && std::memcmp(keys_.data() + s.key_off, p, n) == 0) {
        return {ids_.data() + s.ids_off, s.n_ids};
      }
    }
  }

  void insert(const std::uint8_t* p, std::size_t n, std::uint64_t h, const TokenId* ids,
              std::size_t n_ids) {
    if (n == 0 || n > kMaxKey || n_ids > 0xFFFF) return;
    // Bounded: when full, start over rather than evict piecemeal (cheap, and keeps the
    // working set of the current text).
    if ((used_ + 1) * 2 > slots_.size() || keys_.size() + n > keys_.capacity() ||
        ids_.size() + n_ids > ids_.capacity()) {
      clear();
    }
    std::size_t i = h & mask_;
    while (slots_[i].key_len != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{h, static_cast<std::uint32_t>(keys_.size()),
                     static_cast<std::uint32_t>(ids_.size()), static_cast<std::uint16_t>(n),
                     static_cast<std::uint16_t>(n_ids)};
    keys_.insert(keys_.end(), p, p + n);
    ids_.insert(ids_.end(), ids, ids + n_ids);
    ++used_;
  }

  void clear() {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    keys_.clear();
    ids_.clear();
    used_ = 0;
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t key_off = 0;
    std::uint32_t ids_off = 0;
    std::uint16_t key_len = 0;  // 0 marks an empty slot (empty pieces are never cached)
    std::uint16_t n_ids = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> keys_;
  std::vector<TokenId> ids_;
  std::size_t mask_ = 0;
  std::size_t used_ = 0;
};

}  // namespace tokbench
