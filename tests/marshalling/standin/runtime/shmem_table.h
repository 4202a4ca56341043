// The in-memory table of shared-memory objects (virtgpu blob resources) that both test runtimes use:
// zeroed, page-aligned like the mmap()ed blobs they stand for (ggml's buffer_from_host_ptr asserts
// alignment), exactly as large as asked, resource ids 1, 2, 3, ... never reused.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>

class shmem_table {
  public:
    // Returns the new object's id, 0 when out of memory.
    uint32_t create(size_t size, void ** ptr) {
        void * mem = nullptr;
        // exactly `size` bytes (the guest rounds its objects up itself): a sanitizer sees any access beyond
        if (posix_memalign(&mem, 4096, size ? size : 1) != 0) {
            return 0;
        }
        memset(mem, 0, size);
        objects_[next_id_] = { mem, size };
        *ptr               = mem;
        return next_id_++;
    }

    // Frees the object; false when the id is unknown.
    bool destroy(uint32_t res_id) {
        auto it = objects_.find(res_id);
        if (it == objects_.end()) {
            return false;
        }
        free(it->second.ptr);
        objects_.erase(it);
        return true;
    }

    void * ptr(uint32_t res_id) const {
        auto it = objects_.find(res_id);
        return it == objects_.end() ? nullptr : it->second.ptr;
    }

    size_t size(uint32_t res_id) const {
        auto it = objects_.find(res_id);
        return it == objects_.end() ? 0 : it->second.size;
    }

    size_t live() const { return objects_.size(); }

  private:
    struct object {
        void * ptr;
        size_t size;
    };

    std::map<uint32_t, object> objects_;
    uint32_t                   next_id_ = 1;
};
