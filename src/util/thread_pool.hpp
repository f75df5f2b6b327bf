#pragma once
// A fixed set of worker threads running submitted tasks; wait() returns when all are done.
// parallel_for splits one task's independent parts over the cores.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace inkpack {

class ThreadPool {
public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> task);
  /// Blocks until every submitted task has finished.
  void wait();

private:
  void work();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_idle;
  std::deque<std::function<void()>> m_tasks;
  std::size_t m_busy = 0;
  bool m_stopping = false;
  std::vector<std::jthread> m_threads;
};

/// Runs body(0) … body(count - 1) on the caller's thread and on helpers while cores are free
/// (all parallel_for calls together start at most one helper per core but one) and returns when
/// all have run; the first exception a part throws is rethrown.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body);

}  // namespace inkpack
