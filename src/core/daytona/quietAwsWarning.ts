// The SDK's object storage (Dockerfile build contexts) constructs an AWS S3 client, which prints a
// NodeVersionSupportWarning on Node < 22 into the process's stderr: noise in users' output channels and
// test logs that says nothing about this extension. The AWS SDK's own off switch for that one warning is
// this environment variable; every other warning still shows. Called wherever the SDK is loaded.
export const AWS_NODE_WARNING_OFF = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

export function quietAwsNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[AWS_NODE_WARNING_OFF] === undefined) env[AWS_NODE_WARNING_OFF] = "true";
}
