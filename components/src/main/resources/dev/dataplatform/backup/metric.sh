# Sourced by the RDS backup scripts: publish one CloudWatch data point (1 success, 0 failure) per database.
# metric <metric name> <database> <value>
# Environment: METRIC_NAMESPACE (DataPlatform/LogicalBackups), ENVIRONMENT (the dimension Environment), AWS_REGION.
metric() {
  if aws cloudwatch put-metric-data --region "${AWS_REGION:-}" --namespace "$METRIC_NAMESPACE" --metric-name "$1" \
      --unit Count --value "$3" --dimensions "Environment=$ENVIRONMENT,Database=$2"; then
    printf '{"event":"metric","result":"success","metric":"%s","database":"%s","value":%s}\n' "$1" "$2" "$3"
  else
    printf '{"event":"metric","result":"failure","metric":"%s","database":"%s","value":%s,"message":"put-metric-data failed"}\n' \
      "$1" "$2" "$3"
    return 1
  fi
}
