#include "byte_spans.hpp"

#include <string>

namespace py = pybind11;

namespace tokbench::bindings {

ByteBuffer::ByteBuffer(py::handle obj) {
  if (PyUnicode_Check(obj.ptr())) {
    throw py::type_error("expected bytes (UTF-8), got str");
  }
  if (PyObject_GetBuffer(obj.ptr(), &view_, PyBUF_SIMPLE) != 0) throw py::error_already_set();
}

ByteBuffer::~ByteBuffer() { PyBuffer_Release(&view_); }

std::vector<std::string_view> span_views(std::string_view data, const I64Array& starts,
                                         const I64Array& lengths) {
  if (starts.ndim() != 1 || lengths.ndim() != 1 || starts.size() != lengths.size()) {
    throw py::value_error("starts and lengths must be 1-d arrays of the same length");
  }
  const std::int64_t* s = starts.data();
  const std::int64_t* n = lengths.data();
  const auto size = static_cast<std::int64_t>(data.size());
  std::vector<std::string_view> views(static_cast<std::size_t>(starts.size()));
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (s[i] < 0 || n[i] < 0 || s[i] > size || n[i] > size - s[i]) {
      throw py::value_error("span " + std::to_string(i) + " (start " + std::to_string(s[i]) +
                            ", length " + std::to_string(n[i]) + ") is not inside the " +
                            std::to_string(size) + " bytes given");
    }
    views[i] = {data.data() + s[i], static_cast<std::size_t>(n[i])};
  }
  return views;
}

}  // namespace tokbench::bindings
