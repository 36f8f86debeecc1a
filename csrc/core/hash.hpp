// Hashing for short byte strings and 64-bit keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tokbench::detail {

inline std::uint64_t mix64(std::uint64_t x) {
  // The splitmix64 finaliser: every input bit reaches every output bit.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline std::uint32_t load32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The first min(n, 8) bytes of p as a little-endian integer, zero-padded (n >= 1), read with
// fixed-size loads: a variable-length memcpy compiles to a call. For n <= 8 it is the whole
// string.
inline std::uint64_t head8(const std::uint8_t* p, std::size_t n) {
  if (n >= 8) return load64(p);
  if (n >= 4) {
    return std::uint64_t{load32(p)} | (std::uint64_t{load32(p + n - 4)} << ((n - 4) * 8));
  }
  return std::uint64_t{p[0]} | (std::uint64_t{p[n / 2]} << (n / 2 * 8)) |
         (std::uint64_t{p[n - 1]} << ((n - 1) * 8));
}

// hash_bytes of a string of n <= 8 bytes, given its head8: the caches compute the head anyway
// to compare keys, so short pieces (most of them) read their bytes once.
inline std::uint64_t hash_short(std::uint64_t head, std::size_t n) {
  return mix64(0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL) ^ head);
}

// Hash of a byte string. Pieces are short (a few bytes to a few dozen), so this reads eight
// bytes at a time, takes the tail with fixed-size (possibly overlapping) loads rather than a
// variable-length copy, and mixes once at the end.
inline std::uint64_t hash_bytes(const std::uint8_t* p, std::size_t n) {
  if (n <= 8) return n == 0 ? mix64(0x9E3779B97F4A7C15ULL) : hash_short(head8(p, n), n);
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  const std::uint8_t* last = p + n - 8;
  for (; p < last; p += 8) {
    h = (h ^ load64(p)) * 0x100000001b3ULL;
    h = (h << 29) | (h >> 35);
  }
  h ^= load64(last);  // the final eight bytes, overlapping the previous word if needed
  return mix64(h);
}

inline std::size_t next_pow2(std::size_t n) {
  std::size_t c = 1;
  while (c < n) c <<= 1;
  return c;
}

// Whether a[8..n) == b[8..n), for strings whose first eight bytes are already known equal
// (n > 8). Up to 32 bytes (nearly every piece) it compares fixed-size, possibly overlapping
// words inline: memcmp is a call, and for these lengths the call was most of its cost
// (perf: memcmp ~3% of counting new Russian text).
inline bool same_tail(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  // Every load stays inside [0, n): reading past the end would compare unrelated bytes.
  if (n <= 16) return load64(a + n - 8) == load64(b + n - 8);
  const std::uint64_t d = (load64(a + 8) ^ load64(b + 8)) | (load64(a + n - 8) ^ load64(b + n - 8));
  if (n <= 24) return d == 0;
  if (n <= 32) return (d | (load64(a + 16) ^ load64(b + 16))) == 0;
  return std::memcmp(a + 8, b + 8, n - 8) == 0;
}

}  // namespace tokbench::detail
