// o200k family: o200k_base, o200k_harmony (gpt-oss), and Mistral Tekken.
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|...)?
//  |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|...)?
//  |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// Tekken drops the contraction suffixes and takes digits one at a time (\p{N}).
//
// The two word alternatives backtrack; their first match is computed directly. Call U the
// "upper" class (Lu Lt Lm Lo M) and W the "lower" class (Ll Lm Lo M), and R the run of letters
// and marks after the optional lead character. In R, U* stops at the first Ll. If R has an Ll,
// the match ends where the W run starting at that Ll ends (a Lu or Lt, or the end of R). If it
// has none, U* backs off to the last W character of R, which W+ then takes alone. If R has no
// W character at all (only Lu and Lt), the first alternative fails everywhere and the second
// takes the whole of R.
#pragma once

#include "scan_util.hpp"

namespace tokbench::scan {

struct O200kOptions {
  unsigned max_digits;  // 3 for \p{N}{1,3}, 1 for \p{N}
  bool contractions;    // the optional (?i:'s|'t|'re|'ve|'m|'ll|'d) suffix
};

namespace detail_o200k {
constexpr ClassMask kWordChar = kLetter | kMark;
constexpr ClassMask kUpperOnly = bit(CharClass::kLu) | bit(CharClass::kLt);

// First alternative's end for a run of word characters starting at s, or nullptr if it fails.
// `*r_end` receives the end of the run (for the second alternative).
inline const Byte* lower_word(const Byte* s, const Byte* end, const Byte** r_end) {
  const Byte* p = s;
  const Byte* last_w_end = nullptr;  // end of the last W character seen so far
  while (p < end) {
    const Char c = decode(p, end);
    if (!in(c.mask, kWordChar)) break;
    p += c.len;
    if (c.mask == bit(CharClass::kLl)) {
      // U* stopped before this Ll; W+ takes it and every following W character.
      const Byte* q = run(p, end, static_cast<ClassMask>(kWordChar & ~kUpperOnly));
      *r_end = q;  // not used when the first alternative succeeds
      return q;
    }
    if (!in(c.mask, kUpperOnly)) last_w_end = p;
  }
  *r_end = p;
  return last_w_end;
}

// The piece at p (an ASCII byte) when the pattern can be decided on ASCII characters alone;
// nullptr hands it to the general path (a multi-byte character where a letter, mark, digit,
// space or symbol could continue the piece). It returns what the general path would: prose
// and code are mostly ASCII, and there this path decodes no character and tests no mask.
inline const Byte* ascii_piece(const Byte* p, const Byte* end, const O200kOptions& opt) {
  const Byte* s = nullptr;  // where the letters start
  if (const Byte* q = ascii_non_word(p, end, {opt.max_digits, true, false}, &s)) return q;
  if (s == nullptr) return nullptr;
  // [A-Z]*[a-z]+ (first alternative) or else [A-Z]+ (second): in ASCII both come to the
  // capitals, then the small letters.
  const Byte* q = run_kind(run_kind(s, end, kUpper), end, kLower);
  if (q < end && *q >= 0x80) return nullptr;  // a letter or mark may continue the word
  if (opt.contractions) {
    if (const Byte* c = contraction(q, end, /*ignore_case=*/true)) q = c;
  }
  return q;
}
}  // namespace detail_o200k

template <class Sink>
void o200k(const Byte* p, const Byte* end, const O200kOptions& opt, Sink&& sink) {
  using detail_o200k::kWordChar;
  constexpr ClassMask kLead = static_cast<ClassMask>(~(kNewline | kLetter | kNumber));
  constexpr ClassMask kOtherChar = static_cast<ClassMask>(~(kSpace | kLetter | kNumber));
  while (p < end) {
    if (*p < 0x80) {
      if (const Byte* q = detail_o200k::ascii_piece(p, end, opt)) {
        sink(p, static_cast<std::size_t>(q - p));
        p = q;
        continue;
      }
    }
    const Char c0 = decode(p, end);
    const Byte* next = p + c0.len;
    const Byte* q = nullptr;
    const Byte* r_end = nullptr;
    if (in(c0.mask, kLetter)) {
      q = detail_o200k::lower_word(p, end, &r_end);
      if (q == nullptr) q = r_end;  // second alternative: R is all Lu/Lt
    } else if (in(c0.mask, kLead)) {
      // With the lead character taken: first alternative, then (for a mark) the first
      // alternative without the lead, then the second alternative with the lead.
      q = detail_o200k::lower_word(next, end, &r_end);
      if (q == nullptr) {
        if (in(c0.mask, kMark)) {
          q = next;  // the mark alone is the last W character of its own run
        } else if (r_end != next) {
          q = r_end;
        }
      }
    }
    if (q != nullptr) {
      if (opt.contractions) {
        if (const Byte* c = contraction(q, end, /*ignore_case=*/true)) q = c;
      }
    } else if (in(c0.mask, kNumber)) {
      q = run_max(next, end, kNumber, opt.max_digits - 1);
    } else if (in(c0.mask, kOtherChar)) {
      q = newlines(run(next, end, kOtherChar), end, /*slash=*/true);
    } else if (*p == ' ' && next < end && in(decode(next, end).mask, kOtherChar)) {
      q = newlines(run(next, end, kOtherChar), end, /*slash=*/true);
    } else {
      const SpaceRun r = space_run(p, end);
      q = r.after_nl != nullptr ? r.after_nl : space_tail(r, end);
    }
    sink(p, static_cast<std::size_t>(q - p));
    p = q;
  }
}

}  // namespace tokbench::scan
