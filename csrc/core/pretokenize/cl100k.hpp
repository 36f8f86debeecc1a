// cl100k family: cl100k_base, Llama 3, Qwen2/Qwen3, and Qwen3.5.
//   cl100k: '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
//           ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
//   llama3: the same without \s++$ (with \s*[\r\n]+ and \s+, which match the same pieces)
//   qwen2:  llama3 with \p{N} instead of \p{N}{1,3}
//   qwen3.5: qwen2 with [\p{L}\p{M}]+ as the letter run and \p{M} excluded from the "other" run
#pragma once

#include "scan_util.hpp"

namespace tokbench::scan {

struct Cl100kOptions {
  unsigned max_digits;   // 3 for \p{N}{1,3}, 1 for \p{N}
  bool marks_in_words;   // qwen3.5: [\p{L}\p{M}]+ instead of \p{L}+
  bool space_run_to_end; // cl100k: \s++$ before \s*[\r\n]
};

namespace detail_cl100k {
// The piece at p (an ASCII byte) when ASCII characters decide it, else nullptr (see
// detail_o200k::ascii_piece). ASCII has no marks, so every member of the family agrees here
// but for the digits and \s++$.
inline const Byte* ascii_piece(const Byte* p, const Byte* end, const Cl100kOptions& opt) {
  if (*p == '\'') {
    if (const Byte* c = contraction(p, end, /*ignore_case=*/true)) return c;
  }
  const Byte* s = nullptr;  // where the letters start
  const AsciiRules rules{opt.max_digits, false, opt.space_run_to_end};
  if (const Byte* q = ascii_non_word(p, end, rules, &s)) return q;
  if (s == nullptr) return nullptr;
  const Byte* q = s + 1;
  while (q < end && (ascii_kind(*q) == kUpper || ascii_kind(*q) == kLower)) ++q;
  if (q < end && *q >= 0x80) return nullptr;  // a letter (or, for Qwen3.5, a mark) may follow
  return q;
}
}  // namespace detail_cl100k

template <class Sink>
void cl100k(const Byte* p, const Byte* end, const Cl100kOptions& opt, Sink&& sink) {
  const ClassMask word = opt.marks_in_words ? (kLetter | kMark) : kLetter;
  // [^\r\n\p{L}\p{N}]: may lead a word (a mark too, even when marks are word characters).
  constexpr ClassMask kLead = static_cast<ClassMask>(~(kNewline | kLetter | kNumber));
  const auto other = static_cast<ClassMask>(~(kSpace | word | kNumber));
  while (p < end) {
    if (*p < 0x80) {
      if (const Byte* q = detail_cl100k::ascii_piece(p, end, opt)) {
        sink(p, static_cast<std::size_t>(q - p));
        p = q;
        continue;
      }
    }
    const Byte* q = contraction(p, end, /*ignore_case=*/true);
    if (q == nullptr) {
      const Char c0 = decode(p, end);
      const Byte* next = p + c0.len;
      if (in(c0.mask, word)) {
        q = run(next, end, word);
      } else if (in(c0.mask, kLead) && next < end && in(decode(next, end).mask, word)) {
        q = run(next, end, word);
      } else if (in(c0.mask, kNumber)) {
        q = run_max(next, end, kNumber, opt.max_digits - 1);
      } else if (in(c0.mask, other)) {
        q = newlines(run(next, end, other), end, /*slash=*/false);
      } else if (*p == ' ' && next < end && in(decode(next, end).mask, other)) {
        q = newlines(run(next, end, other), end, /*slash=*/false);
      } else {
        const SpaceRun r = space_run(p, end);
        if (opt.space_run_to_end && r.end == end) {
          q = end;
        } else if (r.after_nl != nullptr) {
          q = r.after_nl;  // \s*[\r\n]: up to the last newline of the run
        } else {
          q = space_tail(r, end);
        }
      }
    }
    sink(p, static_cast<std::size_t>(q - p));
    p = q;
  }
}

}  // namespace tokbench::scan
