// Stand-in for ggml's backend/shared/api_remoting.h: the transport's command types and return codes
// (the values must be ggml's: they are on the wire and in the reply's notification word).
#pragma once

#include <cstdint>

enum ApirCommandType {
    APIR_COMMAND_TYPE_HANDSHAKE   = 0,
    APIR_COMMAND_TYPE_LOADLIBRARY = 1,
    APIR_COMMAND_TYPE_FORWARD     = 2,
    APIR_COMMAND_TYPE_LENGTH      = 3,
};

enum ApirForwardReturnCode {
    APIR_FORWARD_SUCCESS                = 0,
    APIR_FORWARD_NO_DISPATCH_FCT        = 1,
    APIR_FORWARD_TIMEOUT                = 2,
    APIR_FORWARD_FAILED_TO_SYNC_STREAMS = 3,
    APIR_FORWARD_BASE_INDEX             = 4,
};

static inline const char * apir_forward_error(ApirForwardReturnCode code) {
    switch (code) {
        case APIR_FORWARD_SUCCESS:
            return "APIR_FORWARD_SUCCESS";
        case APIR_FORWARD_NO_DISPATCH_FCT:
            return "APIR_FORWARD_NO_DISPATCH_FCT";
        case APIR_FORWARD_TIMEOUT:
            return "APIR_FORWARD_TIMEOUT";
        case APIR_FORWARD_FAILED_TO_SYNC_STREAMS:
            return "APIR_FORWARD_FAILED_TO_SYNC_STREAMS";
        default:
            return "Unknown APIR_COMMAND_TYPE_FORWARD error";
    }
}
