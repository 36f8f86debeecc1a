// Small building blocks shared by the hand-written scanners.
//
// Every scanner walks a UTF-8 span once, left to right, and reports pieces to a sink as
// (begin, length). Each one reproduces, for its family of patterns, what a backtracking regex
// engine returns with find_iter (leftmost-first alternation, greedy quantifiers); the comments
// next to each branch name the alternative it stands for.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../unicode.hpp"

namespace tokbench::scan {

using Byte = std::uint8_t;

constexpr bool in(ClassMask m, ClassMask set) { return (m & set) != 0; }

// The ASCII fast paths' view of a byte: the few kinds the patterns tell apart among ASCII
// characters, and kNotAscii for every byte of a multi-byte character (where a fast path hands
// the piece back to the general one). Derived from the same masks decode() returns.
enum AsciiKind : Byte { kNotAscii = 0, kUpper, kLower, kDigit, kBlank, kNewlineByte, kOtherByte };
namespace detail_ascii {
struct AsciiKinds {
  Byte k[256];
  constexpr AsciiKinds() : k() {
    for (unsigned c = 0; c < 128; ++c) {
      const ClassMask m = tokbench::detail::kAscii.m[c];
      k[c] = m == bit(CharClass::kLu)   ? kUpper
             : m == bit(CharClass::kLl) ? kLower
             : m == kNumber             ? kDigit
             : in(m, kNewline)          ? kNewlineByte
             : in(m, kSpace)            ? kBlank
                                        : kOtherByte;
    }
  }
};
inline constexpr AsciiKinds kAsciiKinds{};
}  // namespace detail_ascii
inline AsciiKind ascii_kind(Byte b) {
  return static_cast<AsciiKind>(detail_ascii::kAsciiKinds.k[b]);
}

// Advances over bytes of kind k.
inline const Byte* run_kind(const Byte* p, const Byte* end, AsciiKind k) {
  while (p < end && ascii_kind(*p) == k) ++p;
  return p;
}

// Advances over characters whose class is in `set`; returns the end of the run.
inline const Byte* run(const Byte* p, const Byte* end, ClassMask set) {
  while (p < end) {
    if (*p < 0x80) {
      if (!in(detail::kAscii.m[*p], set)) break;
      ++p;
      continue;
    }
    const Char c = decode(p, end);
    if (!in(c.mask, set)) break;
    p += c.len;
  }
  return p;
}

// Like run(), but at most `max_chars` characters.
inline const Byte* run_max(const Byte* p, const Byte* end, ClassMask set, unsigned max_chars) {
  for (unsigned n = 0; n < max_chars && p < end; ++n) {
    const Char c = decode(p, end);
    if (!in(c.mask, set)) break;
    p += c.len;
  }
  return p;
}

// Over [\r\n]* (and '/' too when `slash` is set: o200k's [\r\n/]*).
inline const Byte* newlines(const Byte* p, const Byte* end, bool slash) {
  while (p < end && (*p == '\r' || *p == '\n' || (slash && *p == '/'))) ++p;
  return p;
}

// The contraction suffixes 's 't 're 've 'm 'll 'd. With `ignore_case`, letters match in
// either case, and s also matches U+017F LATIN SMALL LETTER LONG S, as Unicode simple case
// folding makes the reference engines do. Returns the end of the match, or nullptr.
inline const Byte* contraction(const Byte* p, const Byte* end, bool ignore_case) {
  if (end - p < 2 || p[0] != '\'') return nullptr;
  const auto lower = [ignore_case](Byte b) -> Byte {
    return (ignore_case && b >= 'A' && b <= 'Z') ? static_cast<Byte>(b | 0x20) : b;
  };
  const Byte a = lower(p[1]);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return p + 2;
  if (ignore_case && p[1] == 0xC5 && end - p >= 3 && p[2] == 0xBF) return p + 3;  // 'ſ
  if (end - p >= 3) {
    const Byte b = lower(p[2]);
    if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) return p + 3;
  }
  return nullptr;
}

// A whitespace run starting at p, described for the \s alternatives of the patterns.
struct SpaceRun {
  const Byte* end;         // end of the maximal run of \s
  const Byte* last_start;  // start of its last character
  const Byte* after_nl;    // just past its last \r or \n, or nullptr if it has none
  bool single;             // the run is one character long
};

inline SpaceRun space_run(const Byte* p, const Byte* end) {
  SpaceRun r{p, p, nullptr, true};
  unsigned n = 0;
  while (r.end < end) {
    const Char c = decode(r.end, end);
    if (!in(c.mask, kSpace)) break;
    r.last_start = r.end;
    r.end += c.len;
    if (in(c.mask, kNewline)) r.after_nl = r.end;
    ++n;
  }
  r.single = n <= 1;
  return r;
}

// The ASCII fast paths below return the end of a piece, or nullptr where a multi-byte
// character could continue it (the general path then takes the piece).

// Whitespace at p, all ASCII: \s*[\r\n]+ | \s+(?!\S) | \s+, as space_run and space_tail
// decide it; with `run_to_end`, a run that ends the text is taken whole first (cl100k's \s++$).
inline const Byte* ascii_space(const Byte* p, const Byte* end, bool run_to_end) {
  const Byte* q = p;
  const Byte* after_nl = nullptr;
  for (; q < end; ++q) {
    const AsciiKind k = ascii_kind(*q);
    if (k == kNewlineByte) {
      after_nl = q + 1;
    } else if (k != kBlank) {
      break;
    }
  }
  if (q < end && *q >= 0x80) return nullptr;  // U+0085, U+00A0, U+3000... may continue it
  if (run_to_end && q == end) return q;
  if (after_nl != nullptr) return after_nl;
  if (q == end || q - p == 1) return q;
  return q - 1;
}

// [^\s\p{L}\p{N}]+ then [\r\n]* (or [\r\n/]* with `slash`) from q, all ASCII.
inline const Byte* ascii_other(const Byte* q, const Byte* end, bool slash) {
  q = run_kind(q, end, kOtherByte);
  if (q < end && *q >= 0x80) return nullptr;  // a symbol or mark may continue it
  return newlines(q, end, slash);
}

// \p{N}{1,max} at p (an ASCII digit).
inline const Byte* ascii_digits(const Byte* p, const Byte* end, unsigned max_digits) {
  const Byte* q = p + 1;
  while (q < end && static_cast<unsigned>(q - p) < max_digits && ascii_kind(*q) == kDigit) ++q;
  if (q < end && static_cast<unsigned>(q - p) < max_digits && *q >= 0x80) return nullptr;
  return q;
}

// The o200k and cl100k families agree on ASCII text except in their words: the piece at p
// (an ASCII byte) when it is not a word, and nullptr otherwise. For a word, *word is set to
// where its letters start (p, or p + 1 after a lead character: [^\r\n\p{L}\p{N}]); a
// nullptr with *word unset hands the piece to the general path.
struct AsciiRules {
  unsigned max_digits;  // \p{N}{1,max_digits}
  bool slash;           // o200k's [\r\n/]* after a run of other characters
  bool run_to_end;      // cl100k's \s++$
};
inline const Byte* ascii_non_word(const Byte* p, const Byte* end, const AsciiRules& r,
                                  const Byte** word) {
  const AsciiKind k0 = ascii_kind(*p);
  switch (k0) {
    case kUpper:
    case kLower:
      *word = p;
      return nullptr;
    case kDigit:
      return ascii_digits(p, end, r.max_digits);
    case kNewlineByte:
      return ascii_space(p, end, r.run_to_end);
    case kBlank:
    case kOtherByte: {
      if (p + 1 == end) return end;
      const AsciiKind k1 = ascii_kind(p[1]);
      if (k1 == kUpper || k1 == kLower) {
        *word = p + 1;
        return nullptr;
      }
      if (k1 == kNotAscii) return nullptr;
      if (k0 == kOtherByte || (*p == ' ' && k1 == kOtherByte)) {
        return ascii_other(p + 1, end, r.slash);
      }
      return ascii_space(p, end, r.run_to_end);
    }
    default:
      return nullptr;
  }
}

// \s+(?!\S) followed by \s (or \s+) as the final alternatives: the whole run when it ends the
// input, else all but its last character (which then leads the next piece), else one char.
inline const Byte* space_tail(const SpaceRun& r, const Byte* end) {
  if (r.end == end || r.single) return r.end;
  return r.last_start;
}

}  // namespace tokbench::scan
