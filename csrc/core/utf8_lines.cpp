#include "utf8_lines.hpp"

#include <cstddef>
#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define TOKBENCH_UTF8_SIMD 1
#endif

namespace tokbench {

namespace {

// Lines of corpora are typically 100-300 bytes: one reservation covers most blocks.
void reserve_lines(Utf8Lines& out, std::size_t bytes) {
  const std::size_t guess = bytes / 64 + 1;
  out.starts.reserve(guess);
  out.lengths.reserve(guess);
  out.chars.reserve(guess);
}

// One line [start, end) of `base` with `cont` continuation bytes: drops a trailing "\r" (ASCII,
// so one code point less too).
void add_line(Utf8Lines& out, const std::uint8_t* base, std::int64_t start, std::int64_t end,
              std::int64_t cont) {
  std::int64_t bytes = end - start;
  if (bytes > 0 && base[end - 1] == '\r') --bytes;
  out.starts.push_back(start);
  out.lengths.push_back(bytes);
  out.chars.push_back(bytes - cont);
}

// ---- scalar: one line at a time; finds the exact offset of an invalid sequence -------------

bool is_continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// Length of the valid multi-byte sequence at p (*p >= 0x80), or 0 if it is invalid. The
// ranges of the second byte are those of RFC 3629 (what Python's strict decoder accepts):
// E0 needs A0..BF (no overlongs), ED 80..9F (no surrogates), F0 90..BF, F4 80..8F (nothing
// past U+10FFFF); C0, C1 and F5..FF never start a sequence.
std::ptrdiff_t sequence_length(const std::uint8_t* p, const std::uint8_t* end) {
  const unsigned b0 = p[0];
  const std::ptrdiff_t avail = end - p;
  if (b0 < 0xC2) return 0;
  if (b0 < 0xE0) return avail >= 2 && is_continuation(p[1]) ? 2 : 0;
  if (b0 < 0xF0) {
    if (avail < 3) return 0;
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) ? 3 : 0;
  }
  if (b0 < 0xF5) {
    if (avail < 4) return 0;
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) && is_continuation(p[3]) ? 4 : 0;
  }
  return 0;
}

// Checks one line [p, end) (no "\n" inside, so no sequence can cross a line end) and counts
// its continuation bytes. Returns the first invalid byte, or nullptr if the line is valid.
const std::uint8_t* check_line(const std::uint8_t* p, const std::uint8_t* end,
                               std::int64_t* continuations) {
  std::int64_t cont = 0;
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const std::ptrdiff_t len = sequence_length(p, end);
    if (len == 0) return p;
    cont += len - 1;
    p += len;
  }
  *continuations = cont;
  return nullptr;
}

Utf8Lines split_scalar(std::string_view data) {
  Utf8Lines out;
  reserve_lines(out, data.size());
  const auto* const base = reinterpret_cast<const std::uint8_t*>(data.data());
  const std::uint8_t* const end = base + data.size();
  const std::uint8_t* p = base;
  while (p < end) {
    const auto* nl =
        static_cast<const std::uint8_t*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const std::uint8_t* line_end = nl != nullptr ? nl : end;
    std::int64_t cont = 0;
    if (const std::uint8_t* bad = check_line(p, line_end, &cont)) {
      out.invalid_at = bad - base;
      return out;
    }
    add_line(out, base, p - base, line_end - base, cont);
    p = nl != nullptr ? nl + 1 : end;
  }
  return out;
}

// ---- AVX2: 32 bytes at a time, lines, code points and validity in one pass -----------------

#ifdef TOKBENCH_UTF8_SIMD

// Validation by table lookups on the high and low nibbles of each byte and of the byte before
// it (the method of Keiser and Lemire, "Validating UTF-8 in less than one instruction per
// byte", 2021). Each bit names one way a pair of bytes can be wrong; a pair is wrong when all
// three lookups agree on a bit. Bit 0x80 (a continuation after a continuation) is instead
// required exactly where a 3- or 4-byte sequence needs its third or fourth byte.
constexpr std::uint8_t kTooShort = 1 << 0;   // lead byte, then no continuation
constexpr std::uint8_t kTooLong = 1 << 1;    // ASCII, then a continuation
constexpr std::uint8_t kOverlong3 = 1 << 2;  // E0 80..9F
constexpr std::uint8_t kTooLarge = 1 << 3;   // F4 90..BF, F5..FF 90..BF
constexpr std::uint8_t kSurrogate = 1 << 4;  // ED A0..BF
constexpr std::uint8_t kOverlong2 = 1 << 5;  // C0 or C1, then a continuation
constexpr std::uint8_t kTooLarge1000 = 1 << 6;  // F5..FF 80..8F
constexpr std::uint8_t kOverlong4 = 1 << 6;     // F0 80..8F
constexpr std::uint8_t kTwoConts = 1 << 7;      // a continuation, then a continuation
constexpr std::uint8_t kCarry = kTooShort | kTooLong | kTwoConts;  // any low nibble

#define TOKBENCH_AVX2 __attribute__((target("avx2")))
#define B(x) static_cast<char>(x)

// A 16-entry table in both 128-bit lanes (vpshufb looks up within each lane).
#define TOKBENCH_TABLE(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

// The bytes of the 32 before `input`, `n` back: (prev_input, input) shifted by n bytes.
template <int n>
TOKBENCH_AVX2 inline __m256i back(__m256i input, __m256i prev_input) {
  return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(prev_input, input, 0x21), 16 - n);
}

TOKBENCH_AVX2 inline __m256i utf8_errors(__m256i input, __m256i prev_input) {
  // By the high nibble of the previous byte.
  const __m256i first_high = TOKBENCH_TABLE(
      B(kTooLong), B(kTooLong), B(kTooLong), B(kTooLong), B(kTooLong), B(kTooLong),
      B(kTooLong), B(kTooLong), B(kTwoConts), B(kTwoConts), B(kTwoConts), B(kTwoConts),
      B(kTooShort | kOverlong2), B(kTooShort), B(kTooShort | kOverlong3 | kSurrogate),
      B(kTooShort | kTooLarge | kTooLarge1000 | kOverlong4));
  // By the low nibble of the previous byte.
  const __m256i first_low = TOKBENCH_TABLE(
      B(kCarry | kOverlong3 | kOverlong2 | kOverlong4), B(kCarry | kOverlong2), B(kCarry),
      B(kCarry), B(kCarry | kTooLarge), B(kCarry | kTooLarge | kTooLarge1000),
      B(kCarry | kTooLarge | kTooLarge1000), B(kCarry | kTooLarge | kTooLarge1000),
      B(kCarry | kTooLarge | kTooLarge1000), B(kCarry | kTooLarge | kTooLarge1000),
      B(kCarry | kTooLarge | kTooLarge1000), B(kCarry | kTooLarge | kTooLarge1000),
      B(kCarry | kTooLarge | kTooLarge1000), B(kCarry | kTooLarge | kTooLarge1000 | kSurrogate),
      B(kCarry | kTooLarge | kTooLarge1000), B(kCarry | kTooLarge | kTooLarge1000));
  // By the high nibble of this byte.
  const __m256i second_high = TOKBENCH_TABLE(
      B(kTooShort), B(kTooShort), B(kTooShort), B(kTooShort), B(kTooShort), B(kTooShort),
      B(kTooShort), B(kTooShort),
      B(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4),
      B(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge),
      B(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge),
      B(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge), B(kTooShort), B(kTooShort),
      B(kTooShort), B(kTooShort));
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i prev1 = back<1>(input, prev_input);
  const __m256i special = _mm256_and_si256(
      _mm256_and_si256(
          _mm256_shuffle_epi8(first_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble)),
          _mm256_shuffle_epi8(first_low, _mm256_and_si256(prev1, nibble))),
      _mm256_shuffle_epi8(second_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), nibble)));
  // 0x80 where the byte two back starts a 3- or 4-byte sequence (>= E0) or the byte three
  // back starts a 4-byte one (>= F0).
  const __m256i third = _mm256_subs_epu8(back<2>(input, prev_input), _mm256_set1_epi8(B(0x60)));
  const __m256i fourth = _mm256_subs_epu8(back<3>(input, prev_input), _mm256_set1_epi8(B(0x70)));
  const __m256i must_follow =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(B(0x80)));
  return _mm256_xor_si256(must_follow, special);
}

// Non-zero where the last three bytes of `input` start a sequence that needs more bytes: what
// the next 32 bytes must continue (checked there only if they are all ASCII; otherwise
// utf8_errors sees it).
TOKBENCH_AVX2 inline __m256i unfinished(__m256i input) {
  const __m256i limits = _mm256_setr_epi8(
      B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF),
      B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF),
      B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF), B(0xFF),
      B(0xF0 - 1), B(0xE0 - 1), B(0xC0 - 1));
  return _mm256_subs_epu8(input, limits);
}

#undef TOKBENCH_TABLE
#undef B

// The SIMD pass: lines, code points, and (as a whole) validity.
class Avx2Lines {
 public:
  TOKBENCH_AVX2 Avx2Lines(const std::uint8_t* base, Utf8Lines& out) : base_(base), out_(out) {}

  // The 32 bytes at offset `at`.
  TOKBENCH_AVX2 void add(__m256i input, std::int64_t at) {
    auto high = static_cast<std::uint32_t>(_mm256_movemask_epi8(input));
    std::uint32_t conts = 0;
    if (high == 0) {
      // All ASCII (most chunks of most text): only a sequence cut off by them can be wrong.
      errors_ = _mm256_or_si256(errors_, unfinished_);
      unfinished_ = _mm256_setzero_si256();
    } else {
      errors_ = _mm256_or_si256(errors_, utf8_errors(input, prev_));
      unfinished_ = unfinished(input);
      // Continuation bytes 80..BF are the signed bytes below -64.
      conts = static_cast<std::uint32_t>(
          _mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_set1_epi8(-64), input)));
    }
    prev_ = input;
    auto newlines = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(input, _mm256_set1_epi8('\n'))));
    while (newlines != 0) {
      const int j = __builtin_ctz(newlines);
      const std::int64_t cont = cont_total_ + __builtin_popcount(conts & ((1u << j) - 1));
      add_line(out_, base_, line_start_, at + j, cont - cont_at_start_);
      line_start_ = at + j + 1;
      cont_at_start_ = cont;
      newlines &= newlines - 1;
    }
    cont_total_ += __builtin_popcount(conts);
  }

  // After the last bytes: whether all were valid; adds the last line if it has no "\n".
  TOKBENCH_AVX2 bool finish(std::int64_t size) {
    errors_ = _mm256_or_si256(errors_, unfinished_);  // cut off by the end of the data
    if (!_mm256_testz_si256(errors_, errors_)) return false;
    if (line_start_ < size) {
      add_line(out_, base_, line_start_, size, cont_total_ - cont_at_start_);
    }
    return true;
  }

 private:
  const std::uint8_t* base_;
  Utf8Lines& out_;
  __m256i prev_ = _mm256_setzero_si256();
  __m256i errors_ = _mm256_setzero_si256();
  __m256i unfinished_ = _mm256_setzero_si256();
  std::int64_t cont_total_ = 0;     // continuation bytes before the current 32
  std::int64_t line_start_ = 0;     // the line still open
  std::int64_t cont_at_start_ = 0;  // cont_total_ where it starts
};

// The lines of `data`, or (invalid_at = 0) nothing if it is not valid UTF-8: the caller then
// finds where with the scalar pass.
TOKBENCH_AVX2 Utf8Lines split_avx2(std::string_view data) {
  Utf8Lines out;
  reserve_lines(out, data.size());
  const auto* const base = reinterpret_cast<const std::uint8_t*>(data.data());
  const auto size = static_cast<std::int64_t>(data.size());
  Avx2Lines lines(base, out);
  std::int64_t at = 0;
  for (; at + 32 <= size; at += 32) {
    lines.add(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + at)), at);
  }
  if (at < size) {  // the rest, padded with zero bytes (ASCII, not line ends)
    alignas(32) std::uint8_t tail[32] = {};
    std::memcpy(tail, base + at, static_cast<std::size_t>(size - at));
    lines.add(_mm256_load_si256(reinterpret_cast<const __m256i*>(tail)), at);
  }
  if (!lines.finish(size)) {
    Utf8Lines invalid;
    invalid.invalid_at = 0;
    return invalid;
  }
  return out;
}

#undef TOKBENCH_AVX2

bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2") != 0;
  return yes;
}

#endif  // TOKBENCH_UTF8_SIMD

}  // namespace

Utf8Lines split_utf8_lines(std::string_view data) {
#ifdef TOKBENCH_UTF8_SIMD
  if (has_avx2()) {
    Utf8Lines out = split_avx2(data);
    // Invalid somewhere: the scalar pass finds the first bad sequence and the lines before it.
    if (out.invalid_at < 0) return out;
  }
#endif
  return split_scalar(data);
}

}  // namespace tokbench
