// GPT-2 family: r50k_base, p50k_base, gpt2, claude_legacy, and Hugging Face ByteLevel with
// use_regex=true.
//   '(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s
// Claude's and Hugging Face's spellings ('s|'t|...|\s+(?!\S)|\s+) match the same pieces:
// \s++$ is subsumed by \s+(?!\S) at the end of input, and \s versus \s+ differ only on a
// single whitespace character.
#pragma once

#include "scan_util.hpp"

namespace tokbench::scan {

template <class Sink>
void gpt2(const Byte* p, const Byte* end, Sink&& sink) {
  constexpr ClassMask kOtherThanLN = static_cast<ClassMask>(~(kSpace | kLetter | kNumber));
  while (p < end) {
    const Byte* q;
    if (const Byte* c = contraction(p, end, /*ignore_case=*/false)) {
      q = c;
    } else {
      // " ?" then a run of letters, of numbers, or of anything else but whitespace.
      const Byte* s = (*p == ' ' && p + 1 < end) ? p + 1 : p;
      const Char c0 = decode(s, end);
      if (in(c0.mask, kLetter)) {
        q = run(s + c0.len, end, kLetter);
      } else if (in(c0.mask, kNumber)) {
        q = run(s + c0.len, end, kNumber);
      } else if (in(c0.mask, kOtherThanLN)) {
        q = run(s + c0.len, end, kOtherThanLN);
      } else {
        q = space_tail(space_run(p, end), end);
      }
    }
    sink(p, static_cast<std::size_t>(q - p));
    p = q;
  }
}

}  // namespace tokbench::scan
