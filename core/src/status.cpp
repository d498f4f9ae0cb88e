#include "vitrine/status.hpp"

namespace vitrine {

const char* code_name(Code code) {
  switch (code) {
    case Code::ok:
      return "ok";
    case Code::invalid_argument:
      return "invalid_argument";
    case Code::permission_denied:
      return "permission_denied";
    case Code::data_loss:
      return "data_loss";
    case Code::failed_precondition:
      return "failed_precondition";
    case Code::unsupported:
      return "unsupported";
  }
  return "unknown";
}

}  // namespace vitrine
