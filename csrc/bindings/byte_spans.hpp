// Byte ranges of a Python buffer (bytes, bytearray, memoryview) as string views, taken with
// the GIL held so that the native work that follows can run without it.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace tokbench::bindings {

using I64Array =
    pybind11::array_t<std::int64_t, pybind11::array::c_style | pybind11::array::forcecast>;

// A contiguous read-only view of a Python buffer, held (and the object kept alive and, for a
// bytearray, unresizable) until destruction, so its bytes may be read with the GIL released.
class ByteBuffer {
 public:
  explicit ByteBuffer(pybind11::handle obj);
  ~ByteBuffer();
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  std::string_view bytes() const {
    return {static_cast<const char*>(view_.buf), static_cast<std::size_t>(view_.len)};
  }

 private:
  Py_buffer view_{};
};

// data[starts[i] : starts[i] + lengths[i]] for each i; ValueError when the arrays differ in
// length or a range is not inside `data`.
std::vector<std::string_view> span_views(std::string_view data, const I64Array& starts,
                                         const I64Array& lengths);

}  // namespace tokbench::bindings
