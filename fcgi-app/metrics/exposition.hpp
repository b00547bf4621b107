#pragma once
// The pool's metrics in the Prometheus text exposition format (0.0.4), summed
// over every slot of the shared block.

#include <span>
#include <string>
#include <string_view>

#include "metrics/pool_metrics.hpp"

namespace todo::metrics {

struct ScrapeSources {
  std::span<const std::string_view> routes;  // route patterns, by index; one more: no route
  int listen_fd = -1;                        // for the listen queue; -1: not known
  std::string_view version;
};

// The whole scrape: counters and histograms summed over the slots, gauges of
// the live workers, process_* of each (labelled by pid).
std::string render(Block& block, const ScrapeSources& sources);

// Its media type.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace todo::metrics
