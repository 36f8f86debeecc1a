#include "pretokenizer.hpp"

#include "../errors.hpp"

namespace tokbench {

namespace {
struct Named {
  const char* name;
  Scanner scanner;
};
constexpr Named kScanners[] = {
    {"gpt2", Scanner::kGpt2},     {"cl100k", Scanner::kCl100k}, {"llama3", Scanner::kLlama3},
    {"qwen2", Scanner::kQwen2},   {"qwen3_5", Scanner::kQwen35}, {"o200k", Scanner::kO200k},
    {"tekken", Scanner::kTekken}, {"deepseek", Scanner::kDeepseek}, {"whole", Scanner::kWhole},
};
}  // namespace

Scanner scanner_from_name(const std::string& name) {
  for (const Named& n : kScanners) {
    if (name == n.name) return n.scanner;
  }
  std::string known;
  for (const Named& n : kScanners) known += std::string(known.empty() ? "" : ", ") + n.name;
  throw Error("unknown scanner '" + name + "'; known: " + known);
}

const char* scanner_name(Scanner s) {
  for (const Named& n : kScanners) {
    if (n.scanner == s) return n.name;
  }
  return "?";
}

}  // namespace tokbench
