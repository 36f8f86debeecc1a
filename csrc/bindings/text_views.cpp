#include "text_views.hpp"

namespace py = pybind11;

namespace tokbench::bindings {

std::string_view utf8_view(py::handle text, std::vector<py::object>& keep) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error(std::string("expected str, got ") + Py_TYPE(text.ptr())->tp_name);
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    // Round-trip through UTF-16 with surrogatepass/replace, as tiktoken does.
    py::object fixed = text.attr("encode")("utf-16", "surrogatepass").attr("decode")("utf-16", "replace");
    data = PyUnicode_AsUTF8AndSize(fixed.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
    keep.push_back(std::move(fixed));
  }
  return {data, static_cast<std::size_t>(size)};
}

TextViews utf8_views(py::handle texts) {
  if (PyUnicode_Check(texts.ptr())) {
    throw py::type_error("expected a sequence of str, got a single str (wrap it in a list)");
  }
  TextViews out;
  py::tuple snapshot = py::tuple(py::reinterpret_borrow<py::object>(texts));
  out.views.reserve(snapshot.size());
  for (const py::handle t : snapshot) out.views.push_back(utf8_view(t, out.keep));
  out.keep.push_back(std::move(snapshot));
  return out;
}

}  // namespace tokbench::bindings
