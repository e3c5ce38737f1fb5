#include "core/current_thread.h"

#include <pthread.h>
#include <sched.h>

#include <cstring>
#include <string>

namespace datafast::core {

void NameCurrentThread(std::string_view name) {
  std::string truncated(name.substr(0, 15));
  pthread_setname_np(pthread_self(), truncated.c_str());
}

Status ScheduleCurrentThreadAsBatch() {
  sched_param param{};
  if (int error = pthread_setschedparam(pthread_self(), SCHED_BATCH, &param); error != 0) {
    return Status::Internal(std::string("cannot schedule the thread as batch work: ") + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace datafast::core
