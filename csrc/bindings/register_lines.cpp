// line_spans: the lines of a block of UTF-8 bytes (csrc/core/utf8_lines.hpp), for counting a
// line-structured file without decoding it to str.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <utility>
#include <vector>

#include "../core/utf8_lines.hpp"
#include "byte_spans.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

namespace {

// The vector's buffer as a numpy array, without a copy (the capsule frees it).
py::array_t<std::int64_t> to_numpy(std::vector<std::int64_t>&& values) {
  auto owned = std::make_unique<std::vector<std::int64_t>>(std::move(values));
  py::capsule owner(owned.get(),
                    [](void* p) { delete static_cast<std::vector<std::int64_t>*>(p); });
  auto* raw = owned.release();  // the capsule owns it now
  return py::array_t<std::int64_t>(static_cast<py::ssize_t>(raw->size()), raw->data(), owner);
}

}  // namespace

void register_lines(py::module_& m) {
  m.def(
      "line_spans",
      [](const py::handle& data) {
        const ByteBuffer buf(data);
        Utf8Lines lines;
        {
          py::gil_scoped_release nogil;
          lines = split_utf8_lines(buf.bytes());
        }
        return py::make_tuple(to_numpy(std::move(lines.starts)), to_numpy(std::move(lines.lengths)),
                              to_numpy(std::move(lines.chars)), lines.invalid_at);
      },
      py::arg("data"),
      "(starts, lengths, chars, invalid_at) of the lines of UTF-8 `data` (bytes-like): int64 "
      "arrays of each line's byte offset, size in bytes without its \"\\n\" or \"\\r\\n\" end, "
      "and size in code points, as bytes.decode(\"utf-8\").split(\"\\n\") gives the lines (no "
      "empty line after a final \"\\n\"; one trailing \"\\r\" dropped). invalid_at is the offset "
      "of the first invalid UTF-8 sequence (as UnicodeDecodeError.start), or -1; when it is "
      ">= 0 the arrays stop before the line that holds it. Runs with the GIL released.");
}

}  // namespace tokbench::bindings
