#include "auth/jwk.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "auth/base64url.hpp"

namespace todo::auth {
namespace {

// Iterative: nesting depth cannot overflow the stack; invalid UTF-8 is refused (PITFALLS).
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr int kMinRsaBits = 2048;
// RSA verification costs grow with the modulus; no issuer needs more, and a JWKS should not
// be able to make every request slow.
constexpr int kMaxRsaBits = 8192;
constexpr std::size_t kMaxKidLogChars = 64;
constexpr std::size_t kEd25519KeyBytes = 32;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const noexcept { OSSL_PARAM_free(params); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

using Skip = std::unexpected<std::string>;

PublicKey shared(PkeyPtr key) {
  return PublicKey(key.release(), [](const evp_pkey_st* k) {
    // EVP_PKEY_free takes a non-const pointer; the key is only ever read.
    EVP_PKEY_free(const_cast<evp_pkey_st*>(k));
  });
}

// A kid fit for a log line: printable ASCII only, at most kMaxKidLogChars characters.
std::string printable(std::string_view kid) {
  std::string out;
  for (char c : kid.substr(0, kMaxKidLogChars)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (kid.size() > kMaxKidLogChars) out += "...";
  return out;
}

// One JWK object's members, read once: only strings are of use here.
class Members {
 public:
  explicit Members(const rapidjson::Value& object) : object_(object) {}

  // The member's string, nullopt when absent; an error when present but not a string.
  std::expected<std::optional<std::string_view>, std::string> text(const char* name) const {
    const auto it = object_.FindMember(name);
    if (it == object_.MemberEnd()) return std::nullopt;
    if (!it->value.IsString()) return Skip(std::string("\"") + name + "\" is not a string");
    return std::string_view(it->value.GetString(), it->value.GetStringLength());
  }

  bool has(const char* name) const { return object_.HasMember(name); }

  // The member, decoded from strict base64url: absent, not a string or not canonical are
  // errors naming it.
  std::expected<std::string, std::string> bytes(const char* name) const {
    const auto value = text(name);
    if (!value) return Skip(value.error());
    if (!*value) return Skip(std::string("\"") + name + "\" is missing");
    auto decoded = base64url_decode(**value);
    if (!decoded) return Skip(std::string("\"") + name + "\" is not base64url");
    return std::move(*decoded);
  }

  bool has_duplicates() const {
    std::set<std::string_view> names;
    for (const auto& m : object_.GetObject()) {
      if (!names.emplace(m.name.GetString(), m.name.GetStringLength()).second) return true;
    }
    return false;
  }

 private:
  const rapidjson::Value& object_;
};

// A key from OpenSSL parameters, checked by OpenSSL (an EC point on its curve, an RSA
// modulus that is odd and composite-looking): a malformed key never reaches a verification.
std::expected<PkeyPtr, std::string> key_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  const std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Skip("OpenSSL refused the key's parameters");
  }
  PkeyPtr key(raw);
  const PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return Skip("not a valid public key");
  return key;
}

std::expected<PkeyPtr, std::string> ed25519_key(const Members& m) {
  const auto x = m.bytes("x");
  if (!x) return Skip(x.error());
  if (x->size() != kEd25519KeyBytes) return Skip("\"x\" is not 32 bytes");
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size()));
  if (!key) return Skip("OpenSSL refused the Ed25519 key");
  return key;
}

std::expected<PkeyPtr, std::string> ec_key(const Members& m, const char* group,
                                           std::size_t coordinate_bytes) {
  const auto x = m.bytes("x");
  if (!x) return Skip(x.error());
  const auto y = m.bytes("y");
  if (!y) return Skip(y.error());
  // RFC 7518 §6.2.1.2: each coordinate is exactly the curve's size, leading zeros kept.
  if (x->size() != coordinate_bytes || y->size() != coordinate_bytes) {
    return Skip("\"x\" or \"y\" is not " + std::to_string(coordinate_bytes) + " bytes");
  }
  const std::string point = '\x04' + *x + *y;  // SEC 1 uncompressed point
  const std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Skip("out of memory");
  }
  return key_from_params("EC", bld.get());
}

BnPtr big_number(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::expected<PkeyPtr, std::string> rsa_key(const Members& m) {
  const auto n_bytes = m.bytes("n");
  if (!n_bytes) return Skip(n_bytes.error());
  const auto e_bytes = m.bytes("e");
  if (!e_bytes) return Skip(e_bytes.error());
  if (n_bytes->size() > kMaxRsaBits / 8 + 1 || e_bytes->empty() || e_bytes->size() > 8) {
    return Skip("\"n\" or \"e\" has an implausible size");
  }
  const BnPtr n = big_number(*n_bytes), e = big_number(*e_bytes);
  if (!n || !e) return Skip("out of memory");
  const int bits = BN_num_bits(n.get());
  if (bits < kMinRsaBits) return Skip("RSA key of " + std::to_string(bits) + " bits (< 2048)");
  if (bits > kMaxRsaBits) return Skip("RSA key of " + std::to_string(bits) + " bits (> 8192)");
  if (!BN_is_odd(e.get()) || BN_is_one(e.get())) return Skip("RSA exponent is not odd and > 1");
  const std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return Skip("out of memory");
  }
  return key_from_params("RSA", bld.get());
}

// The key's algorithm from kty and crv, with "alg" (when present) required to agree.
std::expected<JwsAlgorithm, std::string> algorithm_of(std::string_view kty,
                                                      std::optional<std::string_view> crv,
                                                      std::optional<std::string_view> alg) {
  std::optional<JwsAlgorithm> algorithm;
  if (kty == "OKP") {
    if (crv != "Ed25519") return Skip("OKP curve is not Ed25519");
    algorithm = JwsAlgorithm::eddsa;
  } else if (kty == "EC") {
    if (crv == "P-256") {
      algorithm = JwsAlgorithm::es256;
    } else if (crv == "P-521") {
      algorithm = JwsAlgorithm::es512;
    } else {
      return Skip("EC curve is not P-256 or P-521");
    }
  } else if (kty == "RSA") {
    if (!alg) return Skip("RSA key without \"alg\": RS256 and PS256 cannot be told apart");
    if (*alg == "RS256") return JwsAlgorithm::rs256;
    if (*alg == "PS256") return JwsAlgorithm::ps256;
    return Skip("RSA \"alg\" is not RS256 or PS256");
  } else {
    return Skip("key type is not OKP, EC or RSA");
  }
  if (alg && !alg_names(*alg, *algorithm)) return Skip("\"alg\" does not fit the key's type");
  return *algorithm;
}

// A JWK's "use" and "key_ops" (RFC 7517 §4.2, 4.3), when present, must allow verifying.
std::optional<std::string> purpose_problem(const rapidjson::Value& object, const Members& m) {
  const auto use = m.text("use");
  if (!use) return use.error();
  if (*use && **use != "sig") return "\"use\" is not \"sig\"";
  const auto ops = object.FindMember("key_ops");
  if (ops == object.MemberEnd()) return std::nullopt;
  if (!ops->value.IsArray()) return "\"key_ops\" is not an array";
  for (const auto& op : ops->value.GetArray()) {
    if (op.IsString() && std::string_view(op.GetString(), op.GetStringLength()) == "verify") {
      return std::nullopt;
    }
  }
  return "\"key_ops\" does not allow \"verify\"";
}

// Members that only a private key has (RFC 7518 §6.2.2, 6.3.2, RFC 8037 §2).
bool is_private(const Members& m) {
  static constexpr std::array kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth"};
  return std::ranges::any_of(kPrivateMembers, [&m](const char* name) { return m.has(name); });
}

std::expected<Jwk, std::string> parse_key(const rapidjson::Value& object, std::string_view kid) {
  const Members m(object);
  if (m.has_duplicates()) return Skip("a member appears twice");
  if (kid.empty()) return Skip("no \"kid\": tokens could not name it");
  if (is_private(m)) return Skip("a private key (it must not be published; not kept)");
  if (const auto problem = purpose_problem(object, m)) return Skip(*problem);
  const auto kty = m.text("kty");
  const auto crv = m.text("crv");
  const auto alg = m.text("alg");
  if (!kty || !crv || !alg) return Skip(!kty ? kty.error() : !crv ? crv.error() : alg.error());
  if (!*kty) return Skip("no \"kty\"");
  const auto algorithm = algorithm_of(**kty, *crv, *alg);
  if (!algorithm) return Skip(algorithm.error());

  std::expected<PkeyPtr, std::string> key;
  switch (*algorithm) {
    case JwsAlgorithm::eddsa:
      key = ed25519_key(m);
      break;
    case JwsAlgorithm::es256:
      key = ec_key(m, "P-256", 32);
      break;
    case JwsAlgorithm::es512:
      key = ec_key(m, "P-521", 66);
      break;
    case JwsAlgorithm::rs256:
    case JwsAlgorithm::ps256:
      key = rsa_key(m);
      break;
  }
  if (!key) return Skip(key.error());
  return Jwk{std::string(kid), *algorithm, shared(std::move(*key))};
}

std::string_view kid_of(const rapidjson::Value& object) {
  const auto it = object.FindMember("kid");
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// A kid that two keys share chooses neither: both are dropped.
void drop_shared_kids(JwkSet& set) {
  std::vector<std::string> kids;
  for (const Jwk& k : set.keys) kids.push_back(k.kid);
  std::ranges::sort(kids);
  std::set<std::string> repeated;
  for (auto it = std::ranges::adjacent_find(kids); it != kids.end();
       it = std::adjacent_find(it + 1, kids.end())) {
    repeated.insert(*it);
  }
  std::erase_if(set.keys, [&](const Jwk& k) {
    if (!repeated.contains(k.kid)) return false;
    set.skipped.push_back({printable(k.kid), "another key has the same kid"});
    return true;
  });
}

std::expected<JwkSet, std::string> parse(std::string_view json) {
  if (json.size() > kMaxJwksBytes) return std::unexpected("the JWKS is larger than 256 KiB");
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::unexpected("the JWKS is not a JSON object");
  const auto keys = doc.FindMember("keys");
  if (keys == doc.MemberEnd() || !keys->value.IsArray()) {
    return std::unexpected("the JWKS has no \"keys\" array");
  }
  if (keys->value.Size() > kMaxJwksKeys) return std::unexpected("the JWKS has more than 64 keys");
  if (Members(doc).has_duplicates()) return std::unexpected("the JWKS has a member twice");

  JwkSet set;
  for (const auto& object : keys->value.GetArray()) {
    if (!object.IsObject()) {
      set.skipped.push_back({"", "not a JSON object"});
      continue;
    }
    const std::string_view kid = kid_of(object);
    auto key = parse_key(object, kid);
    if (key) {
      set.keys.push_back(std::move(*key));
    } else {
      set.skipped.push_back({printable(kid), std::move(key.error())});
    }
  }
  drop_shared_kids(set);
  return set;
}

}  // namespace

std::string_view jws_name(JwsAlgorithm algorithm) {
  static constexpr std::string_view kNames[] = {"EdDSA", "ES256", "ES512", "RS256", "PS256"};
  return kNames[static_cast<std::size_t>(algorithm)];
}

bool alg_names(std::string_view alg, JwsAlgorithm algorithm) {
  return alg == jws_name(algorithm) || (algorithm == JwsAlgorithm::eddsa && alg == "Ed25519");
}

const Jwk* JwkSet::find(std::string_view kid) const noexcept {
  const auto it = std::ranges::find(keys, kid, &Jwk::kid);
  return it == keys.end() ? nullptr : &*it;
}

std::expected<JwkSet, std::string> parse_jwks(std::string_view json) noexcept {
  try {
    return parse(json);
  } catch (...) {
    return std::unexpected("out of memory while reading the JWKS");
  }
}

}  // namespace todo::auth
