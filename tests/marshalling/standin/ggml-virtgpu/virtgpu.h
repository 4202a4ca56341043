// Stand-in for ggml's virtgpu.h: the guest's device, with its shared data page and mutex,
// and the transport's entry points (runtime/guest_transport.cpp implements them in memory).
#pragma once

#include "virtgpu-apir.h"
#include "virtgpu-shm.h"

#include "backend/shared/api_remoting.h"
#include "backend/shared/apir_cs.h"

#include <threads.h>

#ifndef UNUSED
#    define UNUSED(x) (void) (x)
#endif

#define SHMEM_DATA_SIZE  0x1830000
#define SHMEM_REPLY_SIZE 0x4000

struct virtgpu {
    bool          use_apir_capset;
    int           fd;
    virtgpu_shmem reply_shmem;
    virtgpu_shmem data_shmem;
    mtx_t         data_shmem_mutex;
};

apir_encoder * remote_call_prepare(virtgpu * gpu, ApirCommandType apir_cmd_type, int32_t cmd_flags);
uint32_t       remote_call(virtgpu *       gpu,
                           apir_encoder *  enc,
                           apir_decoder ** dec,
                           float           max_wait_ms,
                           long long *     call_duration_ns);
void           remote_call_finish(virtgpu * gpu, apir_encoder * enc, apir_decoder * dec);
