# Every mistake DockerfileChecklistTest must catch, once each.
FROM maven AS build
COPY . /src
RUN cd /src && mvn -B package

FROM debian:latest
ADD https://example.org/tool.tar.gz /opt/
RUN apt-get install -y curl
RUN apt-get update && apt-get install -y --no-install-recommends jq
USER root
