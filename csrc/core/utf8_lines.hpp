// Splitting a block of UTF-8 text into lines without decoding it: where each line is, its
// size in bytes and in code points, and whether the block is valid UTF-8. This lets a
// line-structured corpus be counted straight from the bytes read (no Python strings), with the
// same lines, sizes and validity as Python's bytes.decode("utf-8") + str.split("\n").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tokbench {

struct Utf8Lines {
  // Byte offset in the block of each line's first byte.
  std::vector<std::int64_t> starts;
  // Bytes of each line without its end: "\n", and a "\r" just before it (or at the end of the
  // block's last line when it has no "\n").
  std::vector<std::int64_t> lengths;
  // Code points of each line (as Python's len() of the decoded line).
  std::vector<std::int64_t> chars;
  // Offset of the first byte of the first invalid UTF-8 sequence (the position Python's
  // UnicodeDecodeError.start gives), or -1 if the block is valid. When >= 0, the lines stop
  // before the line that holds it.
  std::int64_t invalid_at = -1;
};

// The lines of `data`: the pieces between "\n" bytes, where a final "\n" ends the last line
// rather than starting an empty one (so "" has no lines and "a\n\n" has "a" and "").
// Validation is strict UTF-8 as Python decodes it: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing past U+10FFFF, no truncated sequences.
Utf8Lines split_utf8_lines(std::string_view data);

}  // namespace tokbench
