#include "util/thread_pool.hpp"

#include <atomic>
#include <exception>
#include <system_error>

namespace inkpack {

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) m_threads.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
  }
  m_wake.notify_one();
}

void ThreadPool::wait() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_tasks.empty() && m_busy == 0; });
}

void ThreadPool::work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
      if (m_tasks.empty()) return;
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
      ++m_busy;
    }
    task();
    {
      std::lock_guard lock(m_mutex);
      --m_busy;
    }
    m_idle.notify_all();
  }
}

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) {
  // Helpers beyond the caller, shared by every parallel_for at once: pool workers each splitting
  // an image must not start cores-squared threads between them.
  static std::atomic<unsigned> s_helpers{0};
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr first_error;
  const auto run = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        body(i);
      } catch (...) {  // carried to the caller, who rethrows it
        std::lock_guard lock(mutex);
        if (!first_error) first_error = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < count; ++t) {
      if (s_helpers.fetch_add(1) >= cores - 1) {  // the budget is spent: the caller does the rest
        --s_helpers;
        break;
      }
      try {
        helpers.emplace_back([&] {
          run();
          --s_helpers;
        });
      } catch (const std::system_error&) {  // no thread to be had: the caller does the rest
        --s_helpers;
        break;
      }
    }
    run();
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace inkpack
