#pragma once
// A fixed set of worker threads running submitted tasks; wait() returns when all are done.
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

}  // namespace inkpack
