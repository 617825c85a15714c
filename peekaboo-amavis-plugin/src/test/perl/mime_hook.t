#!/usr/bin/perl -T
# The MIME hook against amavis' own decoder (Amavis::Unpackers::MIME, as
# installed by amavisd-new): every part gets its own Content-Disposition and
# raw name parameters, also among siblings and in nested multiparts.
use strict;
use warnings;
use utf8;
use FindBin ();
use lib "$FindBin::Bin/lib" =~ /\A(.*)\z/s;
use File::Temp qw(tempdir);
use Test::More;

BEGIN {
  eval {
    require Amavis::Conf; require Amavis::Unpackers::MIME;
    require Amavis::Unpackers::NewFilename; require Amavis::Unpackers::Part;
    1;
  } or do {
    my $missing = "amavisd-new's modules are not installed: $@";
    # scripts/test installs amavisd-new and must not skip this test (PluginPerlTest sets this)
    if ($ENV{PEEKABOO_TESTS_REQUIRE_TOOLS}) {
      plan tests => 1;
      fail($missing);
      exit 1;
    }
    plan skip_all => $missing;
  };
}
use Peekaboo::PluginUnderTest;

Peekaboo::PluginUnderTest::load();
ok(Peekaboo::AmavisPlugin::install_mime_hook(), 'hook installed on amavis mime_traverse');
ok(Peekaboo::AmavisPlugin::install_mime_hook(), 'installing twice does not wrap twice');

my $mail = join("\n",
  'From: a@example.com', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=OUT', '',
  '--OUT', 'Content-Type: multipart/alternative; boundary=ALT', '',
  '--ALT', 'Content-Type: text/plain', 'Content-Disposition: inline', '', 'plain body',
  '--ALT', 'Content-Type: text/html', '', '<p>html body</p>',
  '--ALT--',
  '--OUT', 'Content-Type: application/pdf; name="ignored.pdf"',
  'Content-Disposition: ATTACHMENT; filename="=?utf-8?Q?=C3=A4.pdf?="', '', 'pdf',
  '--OUT', 'Content-Type: image/png; name="=?iso-8859-1?Q?K=E4se.png?="', '', 'png',
  '--OUT', 'Content-Type: application/octet-stream',
  "Content-Disposition: attachment; filename*0*=utf-8''%C3%B6ffentlich;", ' filename*1=.bin', '', 'bin',
  '--OUT', 'Content-Type: text/plain', "Content-Disposition: inline; filename=\"Gr\xC3\xBC\xC3\x9Fe.txt\"", '', 'last',
  '--OUT--', '');

my $dir = tempdir(CLEANUP => 1);
($dir) = $dir =~ /\A(.*)\z/s;
mkdir("$dir/parts") or die "mkdir $dir/parts: $!";
Amavis::Unpackers::Part::init(Amavis::Unpackers::NewFilename->new(100, 10_000_000));
my $root = Amavis::Unpackers::Part->new;
Amavis::Unpackers::MIME::mime_decode(\$mail, $dir, $root);

my %described;
my @unvisited = ($root);
while (my $part = shift @unvisited) {
  push @unvisited, @{ $part->children };
  next if !defined $part->dir_name;    # MIME containers have no file
  my $description = Peekaboo::AmavisPlugin::part_description($part->full_name, $part);
  delete $description->{full_name};
  $described{ $part->mime_placement } = $description;
}

is_deeply(\%described, {
  '1/1/1' => { content_disposition => 'inline', type_declared => 'text/plain' },
  '1/1/2' => { type_declared => 'text/html' },
  '1/2'   => { content_disposition => 'attachment', name_declared => 'ä.pdf', type_declared => 'application/pdf' },
  '1/3'   => { name_declared => 'Käse.png', type_declared => 'image/png' },
  '1/4'   => { content_disposition => 'attachment', name_declared => 'öffentlich.bin',
               type_declared => 'application/octet-stream' },
  '1/5'   => { content_disposition => 'inline', name_declared => 'Grüße.txt', type_declared => 'text/plain' },
}, 'each part has its own disposition (lower case) and its best decoded name');

done_testing();
