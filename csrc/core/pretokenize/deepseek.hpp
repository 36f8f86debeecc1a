// DeepSeek V3/V4 (and R1): three Hugging Face Split stages, each with behavior "Isolated", so
// that every stage sees only the pieces the previous one produced, and characters no
// alternative matches are kept as pieces of their own (runs of them joined):
//   1. \p{N}{1,3}
//   2. [\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+
//   3. [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+|
//       ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
#pragma once

#include "../hash.hpp"
#include "scan_util.hpp"

namespace tokbench::scan {

namespace detail_deepseek {

inline bool ascii_alpha(Byte b) { return ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'); }
inline bool ascii_punct(Byte b) {
  return (b >= '!' && b <= '/') || (b >= ':' && b <= '@') || (b >= '[' && b <= '`') ||
         (b >= '{' && b <= '~');
}
// Whether any of eight bytes is an ASCII digit or not ASCII (stage 1 skips the rest eight at
// a time). x ^ '0' maps the digits to bytes 0-9; (y - 0x0A) & ~y & 0x80 in a byte flags one
// below 10, exactly for bytes below 0x80, whose own test is the other half.
inline bool digit_or_non_ascii(std::uint64_t v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t y = v ^ (kOnes * '0');
  return ((v & kHigh) | ((y - kOnes * 10) & ~y & kHigh)) != 0;
}
inline bool cjk_kana(std::uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FA5) || (cp >= 0x3040 && cp <= 0x30FF);
}

// Stage 3's piece at p (an ASCII byte) when ASCII characters decide it, else nullptr (see
// detail_o200k::ascii_piece). Digits never reach stage 3; a control character may join a
// run of unmatched characters, so it goes to the general path.
inline const Byte* ascii_piece(const Byte* p, const Byte* end) {
  const AsciiKind k0 = ascii_kind(*p);
  const Byte* s = p;  // where the letters start
  switch (k0) {
    case kUpper:
    case kLower:
      break;
    case kNewlineByte:
      return ascii_space(p, end, /*run_to_end=*/false);
    case kOtherByte: {
      if (!ascii_punct(*p)) return nullptr;
      const Byte* q = p + 1;
      if (q < end && ascii_alpha(*q)) {  // [!-/:-@[-`{-~][A-Za-z]+, all ASCII by definition
        while (q < end && ascii_alpha(*q)) ++q;
        return q;
      }
      while (q < end && ascii_punct(*q)) ++q;  // [\p{P}\p{S}]+
      if (q < end && *q >= 0x80) return nullptr;
      return newlines(q, end, /*slash=*/false);
    }
    case kBlank: {
      if (p + 1 == end) return end;
      const Byte b1 = p[1];
      if (b1 >= 0x80) return nullptr;
      if (ascii_alpha(b1)) {
        s = p + 1;  // [^\r\n\p{L}\p{P}\p{S}]? leads the word
        break;
      }
      if (*p == ' ' && ascii_punct(b1)) {
        const Byte* q = p + 2;
        while (q < end && ascii_punct(*q)) ++q;
        if (q < end && *q >= 0x80) return nullptr;
        return newlines(q, end, /*slash=*/false);
      }
      if (ascii_kind(b1) == kOtherByte) return nullptr;  // a control character
      return ascii_space(p, end, /*run_to_end=*/false);
    }
    default:
      return nullptr;
  }
  const Byte* q = s + 1;
  while (q < end && ascii_alpha(*q)) ++q;
  if (q < end && *q >= 0x80) return nullptr;  // a letter or mark may continue the word
  return q;
}

// Stage 3 over [p, end): pieces that match, and the runs between them, in order.
template <class Sink>
void main_split(const Byte* p, const Byte* end, Sink& sink) {
  constexpr ClassMask kWord = kLetter | kMark;
  constexpr ClassMask kLead = static_cast<ClassMask>(~(kNewline | kLetter | kPunctSymbol));
  const Byte* gap = p;  // start of the pending run of unmatched characters
  while (p < end) {
    if (p == gap && *p < 0x80) {
      if (const Byte* q = ascii_piece(p, end)) {
        sink(p, static_cast<std::size_t>(q - p));
        p = gap = q;
        continue;
      }
    }
    const Char c0 = decode(p, end);
    const Byte* next = p + c0.len;
    const Byte* q = nullptr;
    if (ascii_punct(*p) && next < end && ascii_alpha(*next)) {
      q = next + 1;
      while (q < end && ascii_alpha(*q)) ++q;
    } else if (in(c0.mask, kWord)) {
      q = run(next, end, kWord);
    } else if (in(c0.mask, kLead) && next < end && in(decode(next, end).mask, kWord)) {
      q = run(next, end, kWord);
    } else if (in(c0.mask, kPunctSymbol)) {
      q = newlines(run(next, end, kPunctSymbol), end, /*slash=*/false);
    } else if (*p == ' ' && next < end && in(decode(next, end).mask, kPunctSymbol)) {
      q = newlines(run(next, end, kPunctSymbol), end, /*slash=*/false);
    } else if (in(c0.mask, kSpace)) {
      const SpaceRun r = space_run(p, end);
      q = r.after_nl != nullptr ? r.after_nl : space_tail(r, end);
    } else {
      p = next;  // no alternative matches here: the character joins the gap
      continue;
    }
    if (gap < p) sink(gap, static_cast<std::size_t>(p - gap));
    sink(p, static_cast<std::size_t>(q - p));
    p = gap = q;
  }
  if (gap < end) sink(gap, static_cast<std::size_t>(end - gap));
}

// Stage 2 over a stretch without numbers: CJK/kana runs are pieces of their own.
template <class Sink>
void cjk_split(const Byte* p, const Byte* end, Sink& sink) {
  const Byte* seg = p;
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      while (end - p >= 8 && (detail::load64(p) & 0x8080808080808080ULL) == 0) p += 8;
      continue;
    }
    const Char c = decode(p, end);
    if (!cjk_kana(c.cp)) {
      p += c.len;
      continue;
    }
    const Byte* q = p + c.len;
    while (q < end) {
      const Char d = decode(q, end);
      if (!cjk_kana(d.cp)) break;
      q += d.len;
    }
    if (seg < p) main_split(seg, p, sink);
    main_split(p, q, sink);
    p = seg = q;
  }
  if (seg < end) main_split(seg, end, sink);
}

}  // namespace detail_deepseek

template <class Sink>
void deepseek(const Byte* p, const Byte* end, Sink&& sink) {
  // Stage 1: runs of numbers, cut into groups of at most three. A group is a piece of its
  // own: no later stage splits it, since no stage-2 or stage-3 alternative matches a number.
  const Byte* seg = p;
  while (p < end) {
    if (*p < 0x80 && ascii_kind(*p) != kDigit) {
      ++p;
      while (end - p >= 8 && !detail_deepseek::digit_or_non_ascii(detail::load64(p))) p += 8;
      continue;
    }
    const Char c = decode(p, end);
    if (!in(c.mask, kNumber)) {
      p += c.len;
      continue;
    }
    const Byte* q = run_max(p + c.len, end, kNumber, 2);
    if (seg < p) detail_deepseek::cjk_split(seg, p, sink);
    sink(p, static_cast<std::size_t>(q - p));
    p = seg = q;
  }
  if (seg < end) detail_deepseek::cjk_split(seg, end, sink);
}

}  // namespace tokbench::scan
