package com.medflow.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.medflow.cognito.EmailSender;
import com.medflow.cognito.EnvironmentPreset;
import com.medflow.cognito.MedflowCognito;
import com.medflow.cognito.MedflowHealthcareChecks;
import com.medflow.cognito.ReplacementGuardOptions;
import com.medflow.cognito.SesEmailOptions;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** A Java CDK app composing the prod preset, synthesized and checked like a platform team would. */
class MedflowCognitoTest {
  private static final Set<String> HEALTHCARE_ATTRIBUTES = Set.of(
      "medical_license", "license_state", "specialties", "clinic_id",
      "user_role", "preferred_language", "npi_number");

  @TempDir
  static Path outdir;
  @TempDir
  static Path appDir;
  private static Stack stack;
  private static CloudAssembly assembly;
  private static Map<String, Object> template;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void synthesize() {
    App app = App.Builder.create().outdir(outdir.toString()).build();
    stack = new Stack(app, "MedflowAuthProd");
    MedflowCognito.Builder.create(stack, "Auth")
        .preset(EnvironmentPreset.prod())
        .email(EmailSender.ses(SesEmailOptions.builder().fromAddress("no-reply@clinic.example").build()))
        .accessTokenValidity(Duration.minutes(30))
        .replacementGuard(ReplacementGuardOptions.builder().lockFile(appDir.resolve("cognito.lock.json").toString()).build())
        .build();
    assembly = app.synth();
    template = (Map<String, Object>) assembly.getStackArtifact(stack.getArtifactId()).getTemplate();
  }

  @Test
  void awsCdkLibIsThePinnedTestedVersion() throws Exception {
    String expected = System.getProperty("expectedAwsCdkLibVersion");
    assertTrue(expected != null && !expected.isEmpty(), "the POM passes expectedAwsCdkLibVersion");
    Path jar = Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertEquals("aws-cdk-lib-" + expected + ".jar", jar.getFileName().toString());
  }

  @Test
  void userPoolIsTheProdPoolWithMfaOn() {
    Map<String, Object> pool = properties(onlyResource("AWS::Cognito::UserPool"));
    assertEquals("prod-medflow-cognito-user-pool", pool.get("UserPoolName"));
    assertEquals("ON", pool.get("MfaConfiguration"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void userPoolCarriesTheSevenHealthcareAttributes() {
    List<Map<String, Object>> schema = (List<Map<String, Object>>) properties(onlyResource("AWS::Cognito::UserPool")).get("Schema");
    List<Map<String, Object>> custom = schema.stream()
        .filter(attribute -> HEALTHCARE_ATTRIBUTES.contains(attribute.get("Name")))
        .collect(Collectors.toList());
    assertEquals(HEALTHCARE_ATTRIBUTES, custom.stream().map(attribute -> attribute.get("Name")).collect(Collectors.toSet()));
    for (Map<String, Object> attribute : custom) {
      assertEquals("String", attribute.get("AttributeDataType"), attribute.toString());
      assertEquals(Boolean.TRUE, attribute.get("Mutable"), attribute.toString());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void accessTokenValidityOverrideIsApplied() {
    List<Map<String, Object>> clients = resourcesOfType("AWS::Cognito::UserPoolClient").stream()
        .map(MedflowCognitoTest::properties)
        .filter(client -> "prod-medflow-cognito-app-client".equals(client.get("ClientName")))
        .collect(Collectors.toList());
    assertEquals(1, clients.size(), "the backend app client");
    Map<String, Object> client = clients.get(0);
    assertEquals(30, ((Number) client.get("AccessTokenValidity")).intValue());
    assertEquals("minutes", ((Map<String, Object>) client.get("TokenValidityUnits")).get("AccessToken"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void bundledLambdaHandlersAreStaged() throws IOException {
    List<Map<String, Object>> functions = resourcesOfType("AWS::Lambda::Function");
    assertFalse(functions.isEmpty());
    for (Map<String, Object> resource : functions) {
      Map<String, Object> function = properties(resource);
      assertEquals("nodejs24.x", function.get("Runtime"));
      String s3Key = (String) ((Map<String, Object>) function.get("Code")).get("S3Key");
      String assetHash = s3Key.replaceFirst("\\.zip$", "");
      List<Path> assetDirs = new ArrayList<>();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of(assembly.getDirectory()), "asset." + assetHash + "*")) {
        dirs.forEach(assetDirs::add);
      }
      assertEquals(1, assetDirs.size(), assetDirs.toString());
      assertTrue(Files.size(assetDirs.get(0).resolve("index.js")) > 0);
    }
  }

  @Test
  void awsSolutionsChecksFindNothing() {
    List<PolicyViolation> violations = new AwsSolutionsChecks().validateScope(stack).getViolations();
    assertEquals(List.of(), violations.stream()
        .map(violation -> violation.getRuleName() + ": " + violation.getDescription())
        .collect(Collectors.toList()));
  }

  @Test
  void medflowHealthcareChecksFindNothing() {
    MedflowHealthcareChecks checks = new MedflowHealthcareChecks();
    assertEquals("Medflow.Healthcare", checks.getName());
    List<PolicyViolation> violations = checks.validateScope(stack).getViolations();
    assertEquals(List.of(), violations.stream()
        .map(violation -> violation.getRuleName() + ": " + violation.getDescription())
        .collect(Collectors.toList()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void replacementGuardRecordsThePoolInTheLockFile() throws IOException {
    Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");
    String poolId = resources.entrySet().stream()
        .filter(entry -> "AWS::Cognito::UserPool".equals(entry.getValue().get("Type")))
        .map(Map.Entry::getKey)
        .findFirst().orElseThrow();
    assertTrue(Files.readString(appDir.resolve("cognito.lock.json")).contains(poolId));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> resourcesOfType(String type) {
    Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");
    return resources.values().stream()
        .filter(resource -> type.equals(resource.get("Type")))
        .collect(Collectors.toList());
  }

  private static Map<String, Object> onlyResource(String type) {
    List<Map<String, Object>> matching = resourcesOfType(type);
    assertEquals(1, matching.size(), "resources of type " + type);
    return matching.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }
}
