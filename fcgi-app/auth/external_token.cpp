#include "auth/external_token.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "auth/jose_json.hpp"
#include "auth/jwk.hpp"
#include "auth/jws.hpp"
#include "core/log.hpp"
#include "core/text.hpp"

namespace todo::auth {
namespace {

using Error = std::unexpected<JwtError>;
using KeysPtr = std::shared_ptr<const JwkSet>;
using TimePoint = std::chrono::steady_clock::time_point;

constexpr std::size_t kMaxSubjectChars = 255;
constexpr std::size_t kMaxEmailChars = 320;

// The header names of the algorithms a JWKS key may have: anything else ("none", "HS256",
// "RS384" ...) is refused before a key is looked up, so junk cannot trigger a JWKS fetch.
bool is_known_algorithm_name(std::string_view alg) {
  for (auto a : {JwsAlgorithm::eddsa, JwsAlgorithm::es256, JwsAlgorithm::es512, JwsAlgorithm::rs256,
                 JwsAlgorithm::ps256}) {
    if (alg_names(alg, a)) return true;
  }
  return false;
}

// RFC 7515 §4.1.9: typ compares case-insensitively. An access token may say "JWT" or
// RFC 9068's "at+jwt", or nothing; anything else (our own "refresh+jwt", say) is not one.
bool is_access_type(const std::optional<std::string_view>& typ) {
  return !typ || iequals(*typ, "JWT") || iequals(*typ, "at+jwt");
}

// Opaque text, but bounded and printable: it becomes a user id in SQL, JSON and log lines.
bool is_acceptable_text(std::string_view text, std::size_t max_chars) {
  const auto length = utf8_length(text);
  return length && *length >= 1 && *length <= max_chars && !has_control_chars(text);
}

// A header that passes: the algorithm it names and its kid.
struct HeaderFacts {
  std::string_view alg, kid;
};

std::expected<HeaderFacts, JwtError> check_header(JoseJsonParser& parser,
                                                  std::string_view segment) {
  const auto header = parser.header(segment);
  if (!header) return Error(JwtError::malformed);
  if (header->has_crit || header->names_key_source) return Error(JwtError::malformed);
  if (!header->alg || !is_known_algorithm_name(*header->alg)) {
    return Error(JwtError::wrong_algorithm);
  }
  if (!is_access_type(header->typ)) return Error(JwtError::wrong_type);
  if (!header->kid) return Error(JwtError::unknown_key);
  return HeaderFacts{*header->alg, *header->kid};
}

// True when a key known before is gone or now means another key: tokens verified with it
// must not be answered from the cache any more.
bool lost_a_key(const JwkSet& before, const JwkSet& after) {
  return std::ranges::any_of(before.keys, [&after](const Jwk& old) {
    const Jwk* now = after.find(old.kid);
    return !now || now->algorithm != old.algorithm ||
           EVP_PKEY_eq(old.key.get(), now->key.get()) != 1;
  });
}

std::string kid_list(const JwkSet& set) {
  std::string list;
  for (const Jwk& k : set.keys) {
    if (!list.empty()) list += ", ";
    list += k.kid;
    list += " (";
    list += jws_name(k.algorithm);
    list += ')';
  }
  return list.empty() ? "none" : list;
}

}  // namespace

ExternalLog default_external_log() {
  return {[](std::string_view m) { log_info(m); }, [](std::string_view m) { log_error(m); }};
}

// ---------------------------------------------------------------------------------------------

class ExternalTokenVerifier::Impl {
 public:
  Impl(ExternalIssuerSettings settings, std::unique_ptr<JwksFetcher> fetcher, ExternalLog log,
       Clock clock)
      : settings_(std::move(settings)),
        fetcher_(std::move(fetcher)),
        log_(std::move(log)),
        clock_(std::move(clock)),
        cache_(settings_.cache_capacity) {
    if (settings_.issuer.empty() || settings_.audience.empty() || settings_.jwks_url.empty()) {
      throw std::invalid_argument("external token: issuer, audience and JWKS URL are required");
    }
    if (!fetcher_) throw std::invalid_argument("external token: no JWKS fetcher");
  }

  bool refresh_now() { return refresh(Reason::start) && last_fetch_ok(); }

  std::size_t key_count() const {
    const std::lock_guard lock(mutex_);
    return keys_ ? keys_->keys.size() : 0;
  }

  std::expected<ExternalIdentity, JwtError> verify(std::string_view token, std::int64_t now) {
    if (token.size() > settings_.max_token_bytes) return Error(JwtError::too_large);
    // Before the cache: a refresh that drops a key must also drop the tokens it verified.
    if (clock_().time_since_epoch().count() >= next_refresh_.load(std::memory_order_relaxed)) {
      refresh(Reason::periodic);
    }
    const Sha256Digest digest = sha256(token);
    if (auto cached = cache_.find(digest, now)) return std::move(*cached);

    const auto jws = split_compact(token);
    if (!jws) return Error(JwtError::malformed);
    // One parser per call: the verifier is shared by threads, and a parser's buffers are
    // not. Its cost is nothing beside a signature check.
    JoseJsonParser parser;
    const auto header = check_header(parser, jws->header);
    if (!header) return Error(header.error());

    const auto keys = keys_for(header->kid);
    const Jwk* key = keys ? keys->find(header->kid) : nullptr;
    if (!key) {
      // While the issuer cannot be reached, a kid we do not know may be its new key: the
      // token may be good, so it is not refused as unknown.
      return Error(last_fetch_ok() ? JwtError::unknown_key : JwtError::issuer_unavailable);
    }
    // The key decides the algorithm; the token's alg must only agree with it.
    if (!alg_names(header->alg, key->algorithm)) return Error(JwtError::wrong_algorithm);
    switch (check_signature(*jws, *key)) {
      case SignatureCheck::valid:
        break;
      case SignatureCheck::malformed:
        return Error(JwtError::malformed);
      case SignatureCheck::invalid:
        return Error(JwtError::bad_signature);
    }
    // Only an authentic payload is parsed.
    auto identity = check_claims(parser, jws->payload, now);
    if (identity) cache_.insert(digest, *identity);
    return identity;
  }

 private:
  enum class Reason { start, unknown_kid, periodic };

  std::expected<ExternalIdentity, JwtError> check_claims(JoseJsonParser& parser,
                                                         std::string_view segment,
                                                         std::int64_t now) const {
    const auto claims = parser.claims(segment, settings_.audience);
    if (!claims) {
      return Error(claims.error() == JoseJsonError::bad_claim_type ? JwtError::bad_claims
                                                                   : JwtError::malformed);
    }
    if (!claims->sub || !is_acceptable_text(*claims->sub, kMaxSubjectChars) ||
        (claims->email && !is_acceptable_text(*claims->email, kMaxEmailChars))) {
      return Error(JwtError::bad_claims);
    }
    if (const auto error =
            registered_claims_error(*claims, settings_.issuer, settings_.leeway.count(), now)) {
      return Error(*error);
    }
    return ExternalIdentity{std::string(*claims->sub), std::string(claims->email.value_or("")),
                            *claims->exp};
  }

  // The keys to look `kid` up in: the current ones, refreshed first when they lack `kid`
  // (within the rate limit). Null while no JWKS was ever fetched.
  KeysPtr keys_for(std::string_view kid) {
    {
      const std::lock_guard lock(mutex_);
      if (keys_ && keys_->find(kid)) return keys_;
    }
    refresh(Reason::unknown_kid);
    const std::lock_guard lock(mutex_);
    return keys_;
  }

  bool last_fetch_ok() const {
    const std::lock_guard lock(mutex_);
    return last_fetch_ok_;
  }

  // Fetches the JWKS unless the rate limit forbids it; when another thread is fetching,
  // waits for that fetch instead (at most one fetch's time) unless this is only a periodic
  // refresh, which goes on with the keys it has. True when a fetch ended while it ran.
  bool refresh(Reason reason) {
    std::unique_lock lock(mutex_);
    if (fetching_) {
      if (reason == Reason::periodic) return false;
      const std::uint64_t generation = fetches_done_;
      return fetched_.wait_for(lock, settings_.fetch_timeout,
                               [&] { return fetches_done_ != generation; });
    }
    const TimePoint start = clock_();
    if (reason != Reason::start && fetched_once_ &&
        start - last_fetch_start_ < settings_.min_fetch_interval) {
      return false;
    }
    fetching_ = true;
    fetched_once_ = true;
    last_fetch_start_ = start;
    const FetchEnd end{*this, lock};  // however this ends, waiting threads hear of it
    lock.unlock();

    // Outside the lock: verification with the current keys goes on meanwhile.
    auto document = fetcher_->fetch(settings_.jwks_url);
    auto parsed = document ? parse_jwks(document->body)
                           : std::expected<JwkSet, std::string>(std::unexpected(document.error()));

    lock.lock();
    if (parsed) {
      install(std::make_shared<const JwkSet>(std::move(*parsed)), document->max_age, start);
    } else {
      last_fetch_ok_ = false;
      set_next_refresh(start + settings_.min_fetch_interval);
      log_error("cannot use the JWKS at " + settings_.jwks_url + ": " + parsed.error() +
                (keys_ ? "; keeping the keys known before" : "; external tokens get 503"));
    }
    return true;
  }

  // Ends a fetch: clears fetching_ and wakes the threads waiting for it, also when the
  // fetch ended in an exception (out of memory), so none waits for a fetch that is over.
  struct FetchEnd {
    Impl& self;
    std::unique_lock<std::mutex>& lock;
    ~FetchEnd() {
      if (!lock.owns_lock()) lock.lock();
      self.fetching_ = false;
      ++self.fetches_done_;
      lock.unlock();
      self.fetched_.notify_all();
    }
  };

  // Under the lock: the new keys take over.
  void install(KeysPtr keys, std::optional<std::chrono::seconds> max_age, TimePoint start) {
    const bool changed = !keys_ || lost_a_key(*keys_, *keys) || lost_a_key(*keys, *keys_);
    if (keys_ && lost_a_key(*keys_, *keys)) cache_.clear();
    const auto interval = std::clamp(max_age.value_or(settings_.max_refresh_interval),
                                     std::chrono::seconds(settings_.min_fetch_interval),
                                     settings_.max_refresh_interval);
    set_next_refresh(start + interval);
    last_fetch_ok_ = true;
    if (changed) {
      log_info("external issuer keys from " + settings_.jwks_url + ": " + kid_list(*keys));
      for (const SkippedJwk& s : keys->skipped) {
        log_error("external issuer key skipped (kid \"" + s.kid + "\"): " + s.reason);
      }
    }
    keys_ = std::move(keys);
  }

  void set_next_refresh(TimePoint when) {
    next_refresh_.store(when.time_since_epoch().count(), std::memory_order_relaxed);
  }

  void log_info(const std::string& m) const {
    if (log_.info) log_.info(m);
  }
  void log_error(const std::string& m) const {
    if (log_.error) log_.error(m);
  }

  const ExternalIssuerSettings settings_;
  const std::unique_ptr<JwksFetcher> fetcher_;
  const ExternalLog log_;
  const Clock clock_;
  VerifiedTokenCache cache_;

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable fetched_;
  KeysPtr keys_;  // null until a JWKS was fetched and read
  bool last_fetch_ok_ = false;
  bool fetching_ = false;
  bool fetched_once_ = false;
  std::uint64_t fetches_done_ = 0;
  TimePoint last_fetch_start_{};
  // When the keys are due for a refresh, in steady_clock ticks: read without the lock by
  // every verify. 0, the clock's epoch: due at once.
  std::atomic<TimePoint::rep> next_refresh_ = 0;
};

// ---------------------------------------------------------------------------------------------

ExternalTokenVerifier::ExternalTokenVerifier(ExternalIssuerSettings settings,
                                             std::unique_ptr<JwksFetcher> fetcher, ExternalLog log,
                                             Clock clock)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(fetcher), std::move(log),
                                   std::move(clock))) {}

ExternalTokenVerifier::~ExternalTokenVerifier() = default;

bool ExternalTokenVerifier::refresh_now() noexcept {
  try {
    return impl_->refresh_now();
  } catch (...) {
    return false;
  }
}

std::expected<ExternalIdentity, JwtError> ExternalTokenVerifier::verify(std::string_view token,
                                                                        std::int64_t now) noexcept {
  try {
    return impl_->verify(token, now);
  } catch (...) {
    // Out of memory or an OpenSSL failure: refuse the token (fail closed), never throw.
    return Error(JwtError::bad_signature);
  }
}

std::size_t ExternalTokenVerifier::key_count() const {
  return impl_->key_count();
}

}  // namespace todo::auth
