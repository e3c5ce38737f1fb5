#include "core/current_thread.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <thread>

namespace datafast::core {
namespace {

TEST(CurrentThread, BatchSchedulingAppliesToTheCallingThreadOnly) {
  int policy_inside = -1;
  std::thread([&] {
    ASSERT_TRUE(ScheduleCurrentThreadAsBatch().ok());
    sched_param param{};
    pthread_getschedparam(pthread_self(), &policy_inside, &param);
  }).join();
  EXPECT_EQ(policy_inside, SCHED_BATCH);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
}

TEST(CurrentThread, NameIsCutToTheKernelsLimit) {
  char name[32] = {};
  std::thread([&] {
    NameCurrentThread("a-name-longer-than-fifteen");
    pthread_getname_np(pthread_self(), name, sizeof name);
  }).join();
  EXPECT_STREQ(name, "a-name-longer-t");
}

}  // namespace
}  // namespace datafast::core
