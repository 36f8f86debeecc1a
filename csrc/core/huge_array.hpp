// A fixed-size array of trivially copyable values in memory the kernel may back with 2 MiB
// pages. The vocabulary's hash table is 8 MiB and looked up at random for every piece of
// text: with 4 KiB pages each lookup tends to miss the TLB as well as the cache.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tokbench::detail {

template <class T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>, "HugeArray holds plain values");

 public:
  HugeArray() = default;
  HugeArray(std::size_t n, const T& fill) : size_(n) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = n * sizeof(T);
    const std::size_t align = bytes >= kHuge ? kHuge : alignof(std::max_align_t);
    const std::size_t rounded = (bytes + align - 1) / align * align;
    void* p = rounded == 0 ? nullptr : std::aligned_alloc(align, rounded);
    if (rounded != 0 && p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (align == kHuge) madvise(p, rounded, MADV_HUGEPAGE);  // a hint: fine if refused
#endif
    data_.reset(static_cast<T*>(p));
    for (std::size_t i = 0; i < n; ++i) data_[i] = fill;
  }
  HugeArray(const HugeArray& o) : HugeArray(o.size_, T{}) {
    if (size_ != 0) std::memcpy(data_.get(), o.data_.get(), size_ * sizeof(T));
  }
  HugeArray& operator=(const HugeArray& o) {
    if (this != &o) *this = HugeArray(o);
    return *this;
  }
  HugeArray(HugeArray&&) noexcept = default;
  HugeArray& operator=(HugeArray&&) noexcept = default;

  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T[], Free> data_;
  std::size_t size_ = 0;
};

}  // namespace tokbench::detail
