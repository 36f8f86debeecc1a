// Pre-tokenizer: which scanner splits text into pieces before BPE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cl100k.hpp"
#include "deepseek.hpp"
#include "gpt2.hpp"
#include "o200k.hpp"

namespace tokbench {

enum class Scanner : std::uint8_t {
  kGpt2,      // r50k_base, p50k_base, gpt2, claude_legacy, HF ByteLevel(use_regex=true)
  kCl100k,    // cl100k_base
  kLlama3,    // Llama 3 (cl100k without \s++$)
  kQwen2,     // Qwen2/2.5/3 (Llama 3 with single digits)
  kQwen35,    // Qwen3.5 (Qwen2 with marks in words)
  kO200k,     // o200k_base, o200k_harmony, gpt-oss
  kTekken,    // Mistral Tekken (o200k without contractions, single digits)
  kDeepseek,  // DeepSeek V3/V4/R1 (three Split stages)
  kWhole,     // no splitting: the whole text is one piece (pieces given by a caller)
};

// Parses a scanner name as used by the Python layer ("o200k", "cl100k", ...).
// Throws tokbench::Error for an unknown name.
Scanner scanner_from_name(const std::string& name);
const char* scanner_name(Scanner s);

// Calls sink(const uint8_t* begin, size_t length) for each piece of [p, end), in order.
template <class Sink>
void pretokenize(Scanner s, const std::uint8_t* p, const std::uint8_t* end, Sink&& sink) {
  switch (s) {
    case Scanner::kGpt2:
      return scan::gpt2(p, end, sink);
    case Scanner::kCl100k:
      return scan::cl100k(p, end, {3, false, true}, sink);
    case Scanner::kLlama3:
      return scan::cl100k(p, end, {3, false, false}, sink);
    case Scanner::kQwen2:
      return scan::cl100k(p, end, {1, false, false}, sink);
    case Scanner::kQwen35:
      return scan::cl100k(p, end, {1, true, false}, sink);
    case Scanner::kO200k:
      return scan::o200k(p, end, {3, true}, sink);
    case Scanner::kTekken:
      return scan::o200k(p, end, {1, false}, sink);
    case Scanner::kDeepseek:
      return scan::deepseek(p, end, sink);
    case Scanner::kWhole:
      if (p < end) sink(p, static_cast<std::size_t>(end - p));
      return;
  }
}

}  // namespace tokbench
