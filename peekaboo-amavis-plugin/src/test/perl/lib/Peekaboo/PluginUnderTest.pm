package Peekaboo::PluginUnderTest;
# Loads conf.d/50-peekaboo the way amavis does (a "do" from package
# Amavis::Conf), outside amavis: the file then defines its subs but does not
# register a scanner or hook amavis' MIME decoder unless asked to.
use strict;
use warnings;
use File::Spec;
use FindBin ();

# untainted: tests that use amavis' own modules run under perl -T, as amavisd
our ($PLUGIN) = File::Spec->catfile($FindBin::Bin, File::Spec->updir, File::Spec->updir,
                                    'main', 'amavis', 'conf.d', '50-peekaboo') =~ /\A(.*)\z/s;

sub load {
  package Amavis::Conf;
  use vars qw(@av_scanners @av_scanners_backup);
  my $result = do $Peekaboo::PluginUnderTest::PLUGIN;
  die "cannot load $Peekaboo::PluginUnderTest::PLUGIN: " . ($@ || $! || 'no true value') . "\n"
    if !$result;
  return 1;
}

# Minimal stand-in for Amavis::Unpackers::Part: the accessors the plugin uses.
package Peekaboo::PluginUnderTest::Part;
sub new { my ($class, %fields) = @_; return bless {%fields}, $class }
sub name_declared { return $_[0]{name_declared} }
sub type_declared { return $_[0]{type_declared} }

1;
