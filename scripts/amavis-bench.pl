#!/usr/bin/perl
# Measures mails/s and latency through amavis (or any SMTP server): sends COUNT mails,
# each with ATTACHMENTS distinct small text attachments, on PARALLEL connections, and
# prints the SMTP replies seen, mails/s and the median and p90 of the time from the end of
# DATA to amavis' reply (that is where amavis scans).
#
#   scripts/amavis-bench.pl --port 10024 --count 200 --attachments 1 --parallel 2
#
# Only core Perl (Net::SMTP, MIME::Base64, Time::HiRes).
use strict;
use warnings;
use Getopt::Long;
use Net::SMTP;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);
use POSIX qw(ceil);

my ($host, $port, $count, $attachments, $parallel, $to) = ('127.0.0.1', 10024, 100, 1, 1, 'alice@demo.peekaboo.test');
GetOptions('host=s' => \$host, 'port=i' => \$port, 'count=i' => \$count,
           'attachments=i' => \$attachments, 'parallel=i' => \$parallel, 'to=s' => \$to)
    or die "usage: $0 [--host H] [--port P] [--count N] [--attachments K] [--parallel C] [--to ADDR]\n";

my $run = sprintf('%d-%d', time(), $$);

sub message {
    my ($n) = @_;
    my $boundary = "=_peekaboo_bench_$run\_$n";
    my $mail = "From: bench\@example.org\r\nTo: $to\r\nSubject: bench $run $n\r\n"
        . "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"$boundary\"\r\n\r\n"
        . "--$boundary\r\nContent-Type: text/plain\r\n\r\nBenchmark mail $n.\r\n";
    for my $a (1 .. $attachments) {
        my $body = encode_base64("Attachment $a of mail $n in run $run.\n" . ('lorem ipsum ' x 20) . "\n", "\r\n");
        $mail .= "--$boundary\r\nContent-Type: text/plain; name=\"a$a.txt\"\r\n"
            . "Content-Disposition: attachment; filename=\"a$a.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n$body";
    }
    return $mail . "--$boundary--\r\n";
}

# Each worker sends its share and writes "latency code" lines to a pipe.
my @readers;
my $started = time();
for my $w (0 .. $parallel - 1) {
    pipe(my $reader, my $writer) or die "pipe: $!";
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        close $reader;
        for (my $n = $w; $n < $count; $n += $parallel) {
            my $smtp = Net::SMTP->new($host, Port => $port, Timeout => 600, Hello => 'bench.example.org')
                or do { print {$writer} "0 connect\n"; next };
            $smtp->mail('bench@example.org');
            $smtp->to($to);
            $smtp->data();
            $smtp->datasend(message($n));
            my $sent = time();
            $smtp->dataend();
            my $code = $smtp->code() || 'none';
            printf {$writer} "%.6f %s\n", time() - $sent, $code;
            $smtp->quit();
        }
        close $writer;
        exit 0;
    }
    close $writer;
    push @readers, $reader;
}
my (@latencies, %codes);
for my $reader (@readers) {
    while (my $line = <$reader>) {
        my ($latency, $code) = split ' ', $line;
        push @latencies, $latency;
        $codes{$code}++;
    }
}
1 while wait() > 0;
my $elapsed = time() - $started;
@latencies = sort { $a <=> $b } @latencies;
my $pick = sub { my $q = shift; $latencies[ceil($q * @latencies) - 1] * 1000 };
printf "mails: %d with %d attachment(s) on %d connection(s) to %s:%d\n", scalar(@latencies), $attachments, $parallel, $host, $port;
printf "elapsed: %.2f s, mails/s: %.2f\n", $elapsed, @latencies / $elapsed;
printf "latency end of DATA -> reply: median %.0f ms, p90 %.0f ms\n", $pick->(0.5), $pick->(0.9) if @latencies;
print "replies: ", join(', ', map { "$_ x$codes{$_}" } sort keys %codes), "\n";
