// DeepSeek V3/V4 (and R1): three Hugging Face Split stages, each with behavior "Isolated", so
// that every stage sees only the pieces the previous one produced, and characters no
// alternative matches are kept as pieces of their own (runs of them joined):
//   1. \p{N}{1,3}
//   2. [\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+
//   3. [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+|
//       ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
#pragma once

#include "scan_util.hpp"

namespace tokbench::scan {

namespace detail_deepseek {

inline bool ascii_alpha(Byte b) { return ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'); }
inline bool ascii_punct(Byte b) {
  return (b >= '!' && b <= '/') || (b >= ':' && b <= '@') || (b >= '[' && b <= '`') ||
         (b >= '{' && b <= '~');
}
inline bool cjk_kana(std::uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FA5) || (cp >= 0x3040 && cp <= 0x30FF);
}

// Stage 3 over [p, end): pieces that match, and the runs between them, in order.
template <class Sink>
void main_split(const Byte* p, const Byte* end, Sink& sink) {
  constexpr ClassMask kWord = kLetter | kMark;
  constexpr ClassMask kLead = static_cast<ClassMask>(~(kNewline | kLetter | kPunctSymbol));
  const Byte* gap = p;  // start of the pending run of unmatched characters
  while (p < end) {
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
