#include "crypto/SigningKey.h"

#include "crypto/Base64Url.h"
#include "crypto/ConstantTime.h"
#include "crypto/Sodium.h"

#include <QJsonValue>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <sodium.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace authrealm {

namespace {

constexpr int kEs256CoordinateSize = 32;
constexpr int kEs256SignatureSize = 2 * kEs256CoordinateSize;
constexpr int kMinRsaBits = 2048;

struct EvpMdCtxDeleter { void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); } };
struct EvpPkeyCtxDeleter { void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); } };
struct EvpPkeyDeleter { void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); } };
struct BnDeleter { void operator()(BIGNUM *p) const { BN_free(p); } };
struct EcdsaSigDeleter { void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); } };
struct ParamBldDeleter { void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamDeleter { void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); } };
struct EncoderCtxDeleter { void operator()(OSSL_ENCODER_CTX *p) const { OSSL_ENCODER_CTX_free(p); } };
struct DecoderCtxDeleter { void operator()(OSSL_DECODER_CTX *p) const { OSSL_DECODER_CTX_free(p); } };

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxDeleter>;
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamDeleter>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, EncoderCtxDeleter>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxDeleter>;

std::shared_ptr<EVP_PKEY> sharePkey(EVP_PKEY *pkey)
{
    return pkey ? std::shared_ptr<EVP_PKEY>(pkey, EvpPkeyDeleter{}) : nullptr;
}

const unsigned char *ucharData(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

// OpenSSL keeps failures in a thread-local queue; leaving them there would make
// unrelated later OpenSSL users (e.g. TLS in QtNetwork) report stale errors.
template<typename T>
T clearErrorsAnd(T value)
{
    ERR_clear_error();
    return value;
}

bool isP256(EVP_PKEY *pkey)
{
    if (EVP_PKEY_is_a(pkey, "EC") != 1)
        return false;
    char name[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &len) != 1)
        return false;
    return std::strcmp(name, "prime256v1") == 0 || std::strcmp(name, "P-256") == 0;
}

bool isAcceptableRsa(EVP_PKEY *pkey)
{
    return EVP_PKEY_is_a(pkey, "RSA") == 1 && EVP_PKEY_get_bits(pkey) >= kMinRsaBits;
}

bool matchesAlgorithm(EVP_PKEY *pkey, SigningAlgorithm alg)
{
    switch (alg) {
    case SigningAlgorithm::ES256:
        return isP256(pkey);
    case SigningAlgorithm::RS256:
        return isAcceptableRsa(pkey);
    case SigningAlgorithm::EdDSA:
        return false;
    }
    return false;
}

// A signing context set up once per key (digest and signature algorithm
// fetched from the provider, key attached). Each signature copies it: OpenSSL
// 3 looks algorithms up in a locked store on every *Init*, which cost a
// fifth of a token request's CPU; a copy only duplicates the context.
MdCtxPtr newSignTemplate(EVP_PKEY *pkey)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey, nullptr) != 1) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: cannot initialise signature");
    }
    return ctx;
}

QByteArray digestSign(const EVP_MD_CTX *signTemplate, QByteArrayView input)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), signTemplate) != 1
        || EVP_DigestSign(ctx.get(), nullptr, &len, ucharData(input), static_cast<size_t>(input.size()))
            != 1) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: cannot initialise signature");
    }
    QByteArray out(static_cast<qsizetype>(len), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
                       ucharData(input), static_cast<size_t>(input.size()))
        != 1) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: signing failed");
    }
    out.resize(static_cast<qsizetype>(len));
    return out;
}

bool digestVerify(EVP_PKEY *pkey, QByteArrayView input, QByteArrayView signature)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx
        || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey, nullptr)
            != 1) {
        return clearErrorsAnd(false);
    }
    const int rc = EVP_DigestVerify(ctx.get(), ucharData(signature),
                                    static_cast<size_t>(signature.size()), ucharData(input),
                                    static_cast<size_t>(input.size()));
    return clearErrorsAnd(rc == 1);
}

// RFC 7518 §3.4: JWS carries R and S as fixed-width big-endian integers, while
// OpenSSL produces/consumes an ASN.1 DER SEQUENCE.
QByteArray ecdsaDerToJose(const QByteArray &der)
{
    const auto *p = ucharData(der);
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig)
        throw std::runtime_error("SigningKey: OpenSSL returned an unparsable ECDSA signature");
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    QByteArray out(kEs256SignatureSize, Qt::Uninitialized);
    auto *dst = reinterpret_cast<unsigned char *>(out.data());
    if (BN_bn2binpad(r, dst, kEs256CoordinateSize) != kEs256CoordinateSize
        || BN_bn2binpad(s, dst + kEs256CoordinateSize, kEs256CoordinateSize) != kEs256CoordinateSize)
        throw std::runtime_error("SigningKey: ECDSA signature component too large");
    return out;
}

std::optional<QByteArray> ecdsaJoseToDer(QByteArrayView raw)
{
    if (raw.size() != kEs256SignatureSize)
        return std::nullopt;
    BnPtr r(BN_bin2bn(ucharData(raw), kEs256CoordinateSize, nullptr));
    BnPtr s(BN_bin2bn(ucharData(raw) + kEs256CoordinateSize, kEs256CoordinateSize, nullptr));
    EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return clearErrorsAnd(std::optional<QByteArray>());
    r.release(); // now owned by sig
    s.release();
    const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (len <= 0)
        return clearErrorsAnd(std::optional<QByteArray>());
    QByteArray der(len, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (i2d_ECDSA_SIG(sig.get(), &out) != len)
        return clearErrorsAnd(std::optional<QByteArray>());
    return der;
}

QByteArray bnParam(EVP_PKEY *pkey, const char *name, int padTo = 0)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: cannot export public key parameter");
    }
    BnPtr bn(raw);
    const int size = padTo > 0 ? padTo : BN_num_bytes(bn.get());
    QByteArray out(size, Qt::Uninitialized);
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char *>(out.data()), size) != size)
        throw std::runtime_error("SigningKey: public key parameter has unexpected size");
    return out;
}

std::shared_ptr<EVP_PKEY> pkeyFromParams(const char *keyType, OSSL_PARAM_BLD *bld)
{
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, keyType, nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return clearErrorsAnd(std::shared_ptr<EVP_PKEY>());
    }
    auto pkey = sharePkey(raw);
    // fromdata does not promise full validation (e.g. point on curve); an
    // invalid public key must be rejected here, not at first verify().
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1)
        return clearErrorsAnd(std::shared_ptr<EVP_PKEY>());
    return pkey;
}

std::optional<QByteArray> jwkBytes(const QJsonObject &jwk, QLatin1String member)
{
    const QJsonValue v = jwk.value(member);
    if (!v.isString())
        return std::nullopt;
    return base64UrlDecode(v.toString());
}

} // namespace

struct SigningKey::Impl
{
    SigningAlgorithm alg = SigningAlgorithm::EdDSA;
    QString kid;
    bool hasPrivate = false;
    std::shared_ptr<EVP_PKEY> pkey; // ES256 / RS256
    MdCtxPtr signTemplate;          // ES256 / RS256 with a private key: see newSignTemplate
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> edPublic{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> edSecret{};

    Impl() = default;
    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;
    ~Impl() { sodium_memzero(edSecret.data(), edSecret.size()); }
};

QString algorithmName(SigningAlgorithm alg)
{
    switch (alg) {
    case SigningAlgorithm::ES256:
        return QStringLiteral("ES256");
    case SigningAlgorithm::RS256:
        return QStringLiteral("RS256");
    case SigningAlgorithm::EdDSA:
        return QStringLiteral("EdDSA");
    }
    return {};
}

std::optional<SigningAlgorithm> algorithmFromName(QStringView name)
{
    if (name == u"ES256")
        return SigningAlgorithm::ES256;
    if (name == u"RS256")
        return SigningAlgorithm::RS256;
    if (name == u"EdDSA")
        return SigningAlgorithm::EdDSA;
    return std::nullopt;
}

SigningKey::SigningKey(std::shared_ptr<const Impl> impl)
    : d(std::move(impl))
{
}

SigningKey SigningKey::generate(SigningAlgorithm alg, const QString &kid)
{
    auto impl = std::make_shared<Impl>();
    impl->alg = alg;
    impl->kid = kid;
    impl->hasPrivate = true;
    switch (alg) {
    case SigningAlgorithm::ES256:
        impl->pkey = sharePkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        break;
    case SigningAlgorithm::RS256:
        impl->pkey = sharePkey(
            EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(kMinRsaBits)));
        break;
    case SigningAlgorithm::EdDSA:
        ensureSodium();
        if (crypto_sign_keypair(impl->edPublic.data(), impl->edSecret.data()) != 0)
            throw std::runtime_error("SigningKey: Ed25519 key generation failed");
        return SigningKey(std::move(impl));
    }
    if (!impl->pkey) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: key generation failed");
    }
    impl->signTemplate = newSignTemplate(impl->pkey.get());
    return SigningKey(std::move(impl));
}

std::optional<SigningKey> SigningKey::fromPrivateMaterial(SigningAlgorithm alg, const QString &kid,
                                                          const QByteArray &material)
{
    auto impl = std::make_shared<Impl>();
    impl->alg = alg;
    impl->kid = kid;
    impl->hasPrivate = true;

    if (alg == SigningAlgorithm::EdDSA) {
        if (material.size() != static_cast<qsizetype>(crypto_sign_SECRETKEYBYTES))
            return std::nullopt;
        ensureSodium();
        // Re-derive from the seed half: a secret key whose embedded public half
        // does not match would produce signatures nobody can verify.
        if (crypto_sign_seed_keypair(impl->edPublic.data(), impl->edSecret.data(),
                                     ucharData(material))
            != 0) {
            return std::nullopt;
        }
        if (!constantTimeEquals(
                QByteArrayView(reinterpret_cast<const char *>(impl->edSecret.data()),
                               static_cast<qsizetype>(impl->edSecret.size())),
                material)) {
            return std::nullopt;
        }
        return SigningKey(std::move(impl));
    }

    EVP_PKEY *raw = nullptr;
    const char *keyType = alg == SigningAlgorithm::ES256 ? "EC" : "RSA";
    DecoderCtxPtr dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "DER", "PrivateKeyInfo", keyType,
                                                     EVP_PKEY_KEYPAIR, nullptr, nullptr));
    if (!dctx)
        return clearErrorsAnd(std::optional<SigningKey>());
    const auto *data = ucharData(material);
    size_t remaining = static_cast<size_t>(material.size());
    const int rc = OSSL_DECODER_from_data(dctx.get(), &data, &remaining);
    auto pkey = sharePkey(raw);
    // Trailing bytes would mean the blob is not what privateMaterial() wrote.
    if (rc != 1 || !pkey || remaining != 0 || !matchesAlgorithm(pkey.get(), alg))
        return clearErrorsAnd(std::optional<SigningKey>());
    impl->pkey = std::move(pkey);
    impl->signTemplate = newSignTemplate(impl->pkey.get());
    return SigningKey(std::move(impl));
}

std::optional<SigningKey> SigningKey::fromPublicJwk(const QJsonObject &jwk)
{
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    const QJsonValue algValue = jwk.value(QLatin1String("alg"));
    const QJsonValue useValue = jwk.value(QLatin1String("use"));
    const QJsonValue kidValue = jwk.value(QLatin1String("kid"));
    if (!useValue.isUndefined() && useValue.toString() != QLatin1String("sig"))
        return std::nullopt;
    if (!kidValue.isUndefined() && !kidValue.isString())
        return std::nullopt;

    std::optional<SigningAlgorithm> expected;
    if (kty == QLatin1String("EC")) {
        if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("P-256"))
            return std::nullopt;
        expected = SigningAlgorithm::ES256;
    } else if (kty == QLatin1String("RSA")) {
        expected = SigningAlgorithm::RS256;
    } else if (kty == QLatin1String("OKP")) {
        if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("Ed25519"))
            return std::nullopt;
        expected = SigningAlgorithm::EdDSA;
    } else {
        return std::nullopt;
    }
    if (!algValue.isUndefined()) {
        if (!algValue.isString() || algorithmFromName(algValue.toString()) != expected)
            return std::nullopt;
    }

    auto impl = std::make_shared<Impl>();
    impl->alg = *expected;
    impl->kid = kidValue.toString();
    impl->hasPrivate = false;

    switch (*expected) {
    case SigningAlgorithm::EdDSA: {
        const auto x = jwkBytes(jwk, QLatin1String("x"));
        if (!x || x->size() != static_cast<qsizetype>(crypto_sign_PUBLICKEYBYTES))
            return std::nullopt;
        std::memcpy(impl->edPublic.data(), x->constData(), impl->edPublic.size());
        return SigningKey(std::move(impl));
    }
    case SigningAlgorithm::ES256: {
        const auto x = jwkBytes(jwk, QLatin1String("x"));
        const auto y = jwkBytes(jwk, QLatin1String("y"));
        // RFC 7518 §6.2.1.2: coordinates are always the full field size.
        if (!x || !y || x->size() != kEs256CoordinateSize || y->size() != kEs256CoordinateSize)
            return std::nullopt;
        QByteArray point;
        point.append('\x04'); // SEC1 uncompressed point
        point.append(*x);
        point.append(*y);
        ParamBldPtr bld(OSSL_PARAM_BLD_new());
        if (!bld
            || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0)
                != 1
            || OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                                static_cast<size_t>(point.size()))
                != 1) {
            return clearErrorsAnd(std::optional<SigningKey>());
        }
        impl->pkey = pkeyFromParams("EC", bld.get());
        break;
    }
    case SigningAlgorithm::RS256: {
        const auto n = jwkBytes(jwk, QLatin1String("n"));
        const auto e = jwkBytes(jwk, QLatin1String("e"));
        if (!n || !e || n->isEmpty() || e->isEmpty() || e->size() > 8)
            return std::nullopt;
        BnPtr bnN(BN_bin2bn(ucharData(*n), static_cast<int>(n->size()), nullptr));
        BnPtr bnE(BN_bin2bn(ucharData(*e), static_cast<int>(e->size()), nullptr));
        ParamBldPtr bld(OSSL_PARAM_BLD_new());
        if (!bnN || !bnE || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get()) != 1
            || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get()) != 1) {
            return clearErrorsAnd(std::optional<SigningKey>());
        }
        impl->pkey = pkeyFromParams("RSA", bld.get());
        break;
    }
    }
    if (!impl->pkey || !matchesAlgorithm(impl->pkey.get(), impl->alg))
        return clearErrorsAnd(std::optional<SigningKey>());
    return SigningKey(std::move(impl));
}

QByteArray SigningKey::privateMaterial() const
{
    if (!d->hasPrivate)
        return {};
    if (d->alg == SigningAlgorithm::EdDSA)
        return QByteArray(reinterpret_cast<const char *>(d->edSecret.data()),
                          static_cast<qsizetype>(d->edSecret.size()));

    EncoderCtxPtr ectx(OSSL_ENCODER_CTX_new_for_pkey(d->pkey.get(), EVP_PKEY_KEYPAIR, "DER",
                                                     "PrivateKeyInfo", nullptr));
    unsigned char *buffer = nullptr;
    size_t len = 0;
    if (!ectx || OSSL_ENCODER_to_data(ectx.get(), &buffer, &len) != 1 || !buffer) {
        ERR_clear_error();
        throw std::runtime_error("SigningKey: cannot export private key");
    }
    QByteArray out(reinterpret_cast<const char *>(buffer), static_cast<qsizetype>(len));
    OPENSSL_clear_free(buffer, len);
    return out;
}

QByteArray SigningKey::sign(QByteArrayView signingInput) const
{
    if (!d->hasPrivate)
        throw std::logic_error("SigningKey: cannot sign with a verify-only key");
    switch (d->alg) {
    case SigningAlgorithm::EdDSA: {
        QByteArray sig(crypto_sign_BYTES, Qt::Uninitialized);
        crypto_sign_detached(reinterpret_cast<unsigned char *>(sig.data()), nullptr,
                             ucharData(signingInput),
                             static_cast<unsigned long long>(signingInput.size()),
                             d->edSecret.data());
        return sig;
    }
    case SigningAlgorithm::ES256:
        return ecdsaDerToJose(digestSign(d->signTemplate.get(), signingInput));
    case SigningAlgorithm::RS256:
        return digestSign(d->signTemplate.get(), signingInput);
    }
    throw std::logic_error("SigningKey: unknown algorithm");
}

bool SigningKey::verify(QByteArrayView signingInput, QByteArrayView signature) const
{
    try {
        switch (d->alg) {
        case SigningAlgorithm::EdDSA:
            if (signature.size() != static_cast<qsizetype>(crypto_sign_BYTES))
                return false;
            return crypto_sign_verify_detached(ucharData(signature), ucharData(signingInput),
                                               static_cast<unsigned long long>(signingInput.size()),
                                               d->edPublic.data())
                == 0;
        case SigningAlgorithm::ES256: {
            const auto der = ecdsaJoseToDer(signature);
            return der && digestVerify(d->pkey.get(), signingInput, *der);
        }
        case SigningAlgorithm::RS256:
            if (signature.size() != EVP_PKEY_get_size(d->pkey.get()))
                return false;
            return digestVerify(d->pkey.get(), signingInput, signature);
        }
    } catch (...) {
        // Only allocation failure can get here; a verifier must fail closed.
    }
    return false;
}

QJsonObject SigningKey::publicJwk() const
{
    QJsonObject jwk;
    switch (d->alg) {
    case SigningAlgorithm::EdDSA:
        jwk.insert(QLatin1String("kty"), QStringLiteral("OKP"));
        jwk.insert(QLatin1String("crv"), QStringLiteral("Ed25519"));
        jwk.insert(QLatin1String("x"),
                   base64UrlEncodeString(
                       QByteArrayView(reinterpret_cast<const char *>(d->edPublic.data()),
                                      static_cast<qsizetype>(d->edPublic.size()))));
        break;
    case SigningAlgorithm::ES256:
        jwk.insert(QLatin1String("kty"), QStringLiteral("EC"));
        jwk.insert(QLatin1String("crv"), QStringLiteral("P-256"));
        jwk.insert(QLatin1String("x"),
                   base64UrlEncodeString(
                       bnParam(d->pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, kEs256CoordinateSize)));
        jwk.insert(QLatin1String("y"),
                   base64UrlEncodeString(
                       bnParam(d->pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, kEs256CoordinateSize)));
        break;
    case SigningAlgorithm::RS256:
        jwk.insert(QLatin1String("kty"), QStringLiteral("RSA"));
        jwk.insert(QLatin1String("n"),
                   base64UrlEncodeString(bnParam(d->pkey.get(), OSSL_PKEY_PARAM_RSA_N)));
        jwk.insert(QLatin1String("e"),
                   base64UrlEncodeString(bnParam(d->pkey.get(), OSSL_PKEY_PARAM_RSA_E)));
        break;
    }
    jwk.insert(QLatin1String("kid"), d->kid);
    jwk.insert(QLatin1String("alg"), algorithmName(d->alg));
    jwk.insert(QLatin1String("use"), QStringLiteral("sig"));
    return jwk;
}

SigningAlgorithm SigningKey::algorithm() const
{
    return d->alg;
}

QString SigningKey::kid() const
{
    return d->kid;
}

bool SigningKey::canSign() const
{
    return d->hasPrivate;
}

} // namespace authrealm
