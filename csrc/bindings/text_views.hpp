// UTF-8 views of Python strings, taken with the GIL held so that the native work that follows
// can run without it.
#pragma once

#include <pybind11/pybind11.h>

#include <string_view>
#include <vector>

namespace tokbench::bindings {

// Holds every object whose UTF-8 buffer a view points into: the caller's strings (a tuple
// snapshot, so a list mutated by another thread cannot free them) and any repaired copies.
struct TextViews {
  std::vector<std::string_view> views;
  std::vector<pybind11::object> keep;
};

// The UTF-8 of a str. A str with lone surrogates (not encodable as UTF-8) is repaired the way
// tiktoken does: each lone surrogate becomes U+FFFD. Raises TypeError for a non-str.
std::string_view utf8_view(pybind11::handle text, std::vector<pybind11::object>& keep);

TextViews utf8_views(pybind11::handle texts);

}  // namespace tokbench::bindings
