package io.splitbot.shared.config;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The cluster's one identity: this member's certificate and private key, and the certificates it trusts, from PEM
 * values in CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA. The same key and trust serve the engine's transport
 * (JGroups over TLS) and the event bus (Vert.x TLS), both with client authentication required, so a peer without a
 * certificate the CA signed can neither join, send nor receive. Without CLUSTER_TLS_CA the certificate trusts itself:
 * one self-signed certificate shared by every member. Parsed once at start-up; the key never leaves this object.
 */
public final class ClusterCredentials {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  private final KeyManagerFactory keys;
  private final TrustManagerFactory trust;
  private final String certPem;
  private final String keyPem;
  private final String trustPem;

  private ClusterCredentials(KeyManagerFactory keys, TrustManagerFactory trust, String certPem, String keyPem,
      String trustPem) {
    this.keys = keys;
    this.trust = trust;
    this.certPem = certPem;
    this.keyPem = keyPem;
    this.trustPem = trustPem;
  }

  /** Null when neither the certificate nor the key is set; a half-given pair or a bad value names the variable. */
  static ClusterCredentials fromEnv(Env env) {
    String cert = env.secret("CLUSTER_TLS_CERT");
    String key = env.secret("CLUSTER_TLS_KEY");
    String ca = env.secret("CLUSTER_TLS_CA");
    if (cert == null && key == null) {
      if (ca != null) {
        throw new ConfigException("CLUSTER_TLS_CA is set but CLUSTER_TLS_CERT and CLUSTER_TLS_KEY are not");
      }
      return null;
    }
    if (cert == null) {
      throw new ConfigException("CLUSTER_TLS_CERT is required with CLUSTER_TLS_KEY");
    }
    if (key == null) {
      throw new ConfigException("CLUSTER_TLS_KEY is required with CLUSTER_TLS_CERT");
    }
    List<X509Certificate> chain = certificates("CLUSTER_TLS_CERT", cert);
    List<X509Certificate> trusted = ca == null ? chain.subList(0, 1) : certificates("CLUSTER_TLS_CA", ca);
    PrivateKey privateKey = privateKey(key);
    if (!matches(privateKey, chain.get(0))) {
      throw new ConfigException("CLUSTER_TLS_KEY is not the private key of CLUSTER_TLS_CERT's (first) certificate");
    }
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("member", privateKey, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, NO_PASSWORD);
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        trustStore.setCertificateEntry("ca-" + i, trusted.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      return new ClusterCredentials(keys, trust, unfold(cert), unfold(key), unfold(ca == null ? cert : ca));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ConfigException("CLUSTER_TLS_KEY does not match CLUSTER_TLS_CERT (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The PEM texts, checked, for Vert.x's event bus: it copies its options through JSON, which keeps PEM values but not
   * a key manager object.
   */
  public String certPem() {
    return certPem;
  }

  public String keyPem() {
    return keyPem;
  }

  public String trustPem() {
    return trustPem;
  }

  /** A TLS context with this member's key and the cluster's trust, for the engine's sockets. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterCredentials[***]";
  }

  /** PEM values pasted into one line (a .env file, a dashboard field) keep their line breaks as \n. */
  private static String unfold(String pem) {
    return pem.indexOf('\n') < 0 ? pem.replace("\\n", "\n") : pem;
  }

  private static List<X509Certificate> certificates(String name, String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Certificate c : factory.generateCertificates(
          new ByteArrayInputStream(unfold(pem).getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(name + " must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    if (out.isEmpty()) {
      throw new ConfigException(name + " must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  private static PrivateKey privateKey(String pem) {
    Matcher m = PEM.matcher(unfold(pem));
    if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
      throw new ConfigException("CLUSTER_TLS_KEY must be an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----; "
          + "convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CLUSTER_TLS_KEY is not valid base64 inside its PEM armour");
    }
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException("CLUSTER_TLS_KEY must be an EC or RSA private key");
  }

  /** Signs a probe with the key and checks it with the certificate's public key. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "splitbot-cluster".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
