#!/bin/sh
# Creates Vigil's Kafka topics on the compose stack's broker (the kafka-init service of
# docker-compose.yml, in the apache/kafka image). Idempotent: existing topics are left as they are.
#
# No time-based retention: records keep the timestamp their producer gave them, and
# `vigil simulate` or a shipper replaying old logs stamps them with the event time; a topic with
# Kafka's default 7-day retention would delete such records at its next check, before the job
# reads them (docs/streaming.md, "Kafka retention"). Retention is bounded by size instead (per partition).
# LogAppendTime would keep them too, but the record timestamp is what places year-less syslog
# timestamps in the right year, so raw topics keep CreateTime.
set -eu

bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"
partitions="${VIGIL_TOPIC_PARTITIONS:-1}"
retention_bytes="${VIGIL_TOPIC_RETENTION_BYTES:-1073741824}"
topics_sh=/opt/kafka/bin/kafka-topics.sh

# raw topics (kafka.topics of deploy/docker/vigil.yaml), then the dead-letter and alerts topics
topics="vigil.raw.syslog vigil.raw.windows vigil.raw.access vigil.raw.cloudtrail vigil.raw.zeek vigil.raw.ecs
vigil.dead-letters vigil.alerts"

for topic in $topics; do
  "$topics_sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 \
    --config retention.ms=-1 --config retention.bytes="$retention_bytes"
done

# the context control topic (enrich.control-topic; vigil intel push): one partition, compacted, so it
# keeps the latest table of each kind and name for as long as it lives (docs/retention.md)
control_topics="vigil.context"
for topic in $control_topics; do
  "$topics_sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions 1 --replication-factor 1 \
    --config cleanup.policy=compact --config max.message.bytes=67108864
done

echo "kafka-init: topics on $bootstrap:"
"$topics_sh" --bootstrap-server "$bootstrap" --describe --topics-with-overrides
