// Character classes and UTF-8 decoding for the pre-tokenizer scanners.
#pragma once

#include <cstddef>
#include <cstdint>

#include "inlining.hpp"

namespace tokbench {

// One class per distinction the known pre-tokenizer patterns make. White_Space wins over the
// general category (no White_Space character is a letter, mark, number, punctuation or symbol),
// and \r, \n get their own classes because several patterns single them out.
enum class CharClass : std::uint8_t {
  kOther = 0,  // Cc (not White_Space), Cf, Co, Cs, Cn
  kLu,
  kLl,
  kLt,
  kLm,
  kLo,
  kM,   // Mn, Mc, Me
  kN,   // Nd, Nl, No
  kP,   // Pc, Pd, Ps, Pe, Pi, Pf, Po
  kS,   // Sm, Sc, Sk, So
  kWs,  // White_Space other than \r and \n
  kCr,
  kLf,
};

using ClassMask = std::uint16_t;
constexpr ClassMask bit(CharClass c) { return static_cast<ClassMask>(1u << static_cast<unsigned>(c)); }

constexpr ClassMask kLetter = bit(CharClass::kLu) | bit(CharClass::kLl) | bit(CharClass::kLt) |
                              bit(CharClass::kLm) | bit(CharClass::kLo);
constexpr ClassMask kMark = bit(CharClass::kM);
constexpr ClassMask kNumber = bit(CharClass::kN);
constexpr ClassMask kNewline = bit(CharClass::kCr) | bit(CharClass::kLf);
constexpr ClassMask kSpace = bit(CharClass::kWs) | kNewline;
constexpr ClassMask kPunctSymbol = bit(CharClass::kP) | bit(CharClass::kS);

namespace detail {
#include "unicode_tables.inc"
}  // namespace detail

inline const char* unicode_version() { return detail::kUnicodeVersion; }

inline CharClass char_class(std::uint32_t cp) {
  if (cp >= 0x110000) return CharClass::kOther;
  const unsigned block = detail::kStage1[cp >> detail::kBlockShift];
  return static_cast<CharClass>(
      detail::kStage2[(block << detail::kBlockShift) | (cp & ((1u << detail::kBlockShift) - 1))]);
}

// One decoded character: its code point, its UTF-8 length and its class mask.
struct Char {
  std::uint32_t cp;
  std::uint32_t len;
  ClassMask mask;
};

namespace detail {
constexpr ClassMask ascii_mask(unsigned c) {
  if (c == '\r') return bit(CharClass::kCr);
  if (c == '\n') return bit(CharClass::kLf);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return bit(CharClass::kWs);
  if (c >= '0' && c <= '9') return bit(CharClass::kN);
  if (c >= 'A' && c <= 'Z') return bit(CharClass::kLu);
  if (c >= 'a' && c <= 'z') return bit(CharClass::kLl);
  if (c < 0x20 || c == 0x7F) return bit(CharClass::kOther);
  // ASCII symbols (Sm, Sc, Sk): $ + < = > ^ ` | ~ ; the rest of the printable ASCII is P.
  switch (c) {
    case '$': case '+': case '<': case '=': case '>': case '^': case '`': case '|': case '~':
      return bit(CharClass::kS);
    default:
      return bit(CharClass::kP);
  }
}
struct AsciiMasks {
  ClassMask m[128];
  constexpr AsciiMasks() : m() {
    for (unsigned c = 0; c < 128; ++c) m[c] = ascii_mask(c);
  }
};
inline constexpr AsciiMasks kAscii{};

// Classes of the Basic Multilingual Plane (every character of two or three bytes) in one
// flat 64 KiB table: one load per character instead of the two dependent loads of
// char_class. A script touches a few hundred bytes of it, Hangul or CJK ideographs 11-21 KiB.
// (Below U+0080 it is only reached through overlong forms, which the bindings never pass; it
// answers as char_class would.)
struct BmpClasses {
  std::uint8_t c[0x10000];
  constexpr BmpClasses() : c() {
    for (std::uint32_t cp = 0; cp < 0x10000; ++cp) {
      const unsigned block = kStage1[cp >> kBlockShift];
      c[cp] = kStage2[(block << kBlockShift) | (cp & ((1u << kBlockShift) - 1))];
    }
  }
  ClassMask mask(std::uint32_t cp) const { return static_cast<ClassMask>(1u << c[cp]); }
};
inline constexpr BmpClasses kBmp{};
}  // namespace detail

// Decodes the character at p (p < end). Input is expected to be valid UTF-8 (the bindings
// guarantee it); a malformed or truncated sequence still never reads past `end`: it is taken
// as one byte of class kOther, so hostile bytes cannot cause out-of-bounds reads.
// Called for nearly every byte by every scanner: always inlined (left out of line, it cost the
// English count ~20% once the scanners were instantiated inside the shared batch template).
TOKBENCH_HOT_INLINE Char decode(const std::uint8_t* p, const std::uint8_t* end) {
  const std::uint32_t b0 = p[0];
  if (b0 < 0x80) return {b0, 1, detail::kAscii.m[b0]};
  const std::ptrdiff_t avail = end - p;
  if ((b0 & 0xE0) == 0xC0 && avail >= 2 && (p[1] & 0xC0) == 0x80) {
    const std::uint32_t cp = ((b0 & 0x1F) << 6) | (p[1] & 0x3Fu);
    return {cp, 2, detail::kBmp.mask(cp)};
  }
  if ((b0 & 0xF0) == 0xE0 && avail >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
    const std::uint32_t cp = ((b0 & 0x0F) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return {cp, 3, detail::kBmp.mask(cp)};
  }
  if ((b0 & 0xF8) == 0xF0 && avail >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
      (p[3] & 0xC0) == 0x80) {
    const std::uint32_t cp =
        ((b0 & 0x07) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    return {cp, 4, bit(char_class(cp))};
  }
  return {0xFFFD, 1, bit(CharClass::kOther)};
}

}  // namespace tokbench
