// A piece cache that all threads of a batch call share, without locks.
//
// Each thread keeps its own PieceCache (no atomics on the hot path), but on a first pass over
// unseen text every thread would then merge the same new words again: on two threads that was
// 1.39x the CPU time of one thread (bench/results/corpus_threads.md). A thread that misses
// its own cache asks this one before merging, and publishes what it merges here.
//
// Insert-only and bounded: a slot, once published, never changes, so a reader needs no lock
// and an entry's ids stay valid for the cache's lifetime. When the table or the arena is
// full, inserts stop (the private caches keep working). Slots are claimed with one
// compare-exchange; a thread that loses the race for a slot probes on; a piece inserted twice
// by two threads at once only wastes a slot.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>

#include "hash.hpp"
#include "piece_cache.hpp"
#include "vocab.hpp"

namespace tokbench {

class SharedPieceCache {
 public:
  static constexpr unsigned kSlotsLog2 = 18;                // 262,144 slots, 8 MiB
  static constexpr std::size_t kArenaBytes = 16u << 20;     // long keys and multi-token results
  static constexpr std::size_t kMaxKey = PieceCache::kMaxKey;
  static constexpr unsigned kMaxProbe = 32;

  SharedPieceCache()
      : slots_(new Slot[std::size_t{1} << kSlotsLog2]()),
        arena_(new std::uint8_t[kArenaBytes]),
        seed_(random_seed()) {}

  PieceCache::Hit find(const std::uint8_t* p, std::size_t n, std::uint64_t h) const {
    const std::uint64_t tag = tag_of(h);
    const std::uint64_t head = detail::head8(p, n);
    std::size_t i = slot_of(h);
    for (unsigned probe = 0; probe < kMaxProbe; ++probe, i = (i + 1) & kMask) {
      const Slot& s = slots_[i];
      const std::uint64_t t = s.tag.load(std::memory_order_acquire);
      if (t == kEmpty) break;
      if (t != tag || s.key_len != n || s.head != head) continue;
      if (n > 8 && !detail::same_tail(arena_.get() + s.key_off, p, n)) continue;
      if (s.n_ids == 1) return {&s.id, 1};
      return {reinterpret_cast<const TokenId*>(arena_.get() + s.id), s.n_ids};
    }
    return {nullptr, 0};
  }

  void insert(const std::uint8_t* p, std::size_t n, std::uint64_t h, const TokenId* ids,
              std::size_t n_ids) {
    if (n == 0 || n > kMaxKey || n_ids == 0 || n_ids > 0xFFFF) return;
    if (used_.load(std::memory_order_relaxed) * 2 > (std::size_t{1} << kSlotsLog2)) return;
    // Arena space first (keys of more than 8 bytes, results of more than one token), so a
    // claimed slot can always be filled.
    const std::size_t key_bytes = n > 8 ? (n + 3) & ~std::size_t{3} : 0;
    const std::size_t id_bytes = n_ids > 1 ? n_ids * sizeof(TokenId) : 0;
    std::size_t off = 0;
    if (key_bytes + id_bytes > 0) {
      off = arena_used_.fetch_add(key_bytes + id_bytes, std::memory_order_relaxed);
      if (off + key_bytes + id_bytes > kArenaBytes) return;
      std::memcpy(arena_.get() + off, p, key_bytes > 0 ? n : 0);
      std::memcpy(arena_.get() + off + key_bytes, ids, id_bytes);
    }
    const std::uint64_t tag = tag_of(h);
    std::size_t i = slot_of(h);
    for (unsigned probe = 0; probe < kMaxProbe; ++probe, i = (i + 1) & kMask) {
      Slot& s = slots_[i];
      std::uint64_t expected = kEmpty;
      if (!s.tag.compare_exchange_strong(expected, kBusy, std::memory_order_relaxed)) continue;
      s.head = detail::head8(p, n);
      s.key_off = static_cast<std::uint32_t>(off);
      s.key_len = static_cast<std::uint16_t>(n);
      s.n_ids = static_cast<std::uint16_t>(n_ids);
      s.id = n_ids == 1 ? ids[0] : static_cast<TokenId>(off + key_bytes);
      s.tag.store(tag, std::memory_order_release);  // publishes the fields above
      used_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }

 private:
  static constexpr std::size_t kMask = (std::size_t{1} << kSlotsLog2) - 1;
  static constexpr std::uint64_t kEmpty = 0;
  static constexpr std::uint64_t kBusy = 1;
  // The published tag is the hash with its top bit set: never kEmpty or kBusy.
  static std::uint64_t tag_of(std::uint64_t h) { return h | (std::uint64_t{1} << 63); }
  // Seeded, as PieceCache's, so that crafted text cannot aim its pieces at one slot.
  std::size_t slot_of(std::uint64_t h) const {
    return static_cast<std::size_t>(((h ^ seed_) * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotsLog2));
  }
  static std::uint64_t random_seed() {
    std::random_device rd;
    return (std::uint64_t{rd()} << 32) ^ rd();
  }

  struct Slot {
    std::atomic<std::uint64_t> tag{kEmpty};
    std::uint64_t head = 0;     // the piece's first eight bytes
    std::uint32_t key_off = 0;  // where the whole piece is in the arena (longer than 8 bytes)
    TokenId id = 0;             // the token of a one-token result, else the ids' arena offset
    std::uint16_t key_len = 0;
    std::uint16_t n_ids = 0;
  };
  std::unique_ptr<Slot[]> slots_;
  std::unique_ptr<std::uint8_t[]> arena_;
  std::atomic<std::size_t> arena_used_{0};
  std::atomic<std::size_t> used_{0};
  std::uint64_t seed_;
};

}  // namespace tokbench
