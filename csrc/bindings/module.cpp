// The tokbench._core extension: registration only; the algorithms live in csrc/core.
#include <pybind11/pybind11.h>

#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "tokbench native core: exact BPE tokenization and counting (byte-level and SentencePiece-style).";
#ifdef TOKBENCH_VERSION
  m.attr("__version__") = TOKBENCH_VERSION;
#endif
  tokbench::bindings::register_errors(m);
  tokbench::bindings::register_model(m);
  tokbench::bindings::register_encoding(m);
  tokbench::bindings::register_spm(m);
  tokbench::bindings::register_lines(m);
}
