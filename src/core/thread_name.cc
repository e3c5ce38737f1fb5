#include "core/thread_name.h"

#include <pthread.h>

#include <string>

namespace datafast::core {

void NameCurrentThread(std::string_view name) {
  std::string truncated(name.substr(0, 15));
  pthread_setname_np(pthread_self(), truncated.c_str());
}

}  // namespace datafast::core
